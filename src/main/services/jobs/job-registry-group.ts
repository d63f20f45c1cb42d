/**
 * Several job queues seen as one by `jobs.list` / `jobs.cancel`: fine-tunes run in a queue of
 * their own, so that a training job of minutes or hours never holds up the editor's bracket,
 * strip and export jobs, while the job panel still lists and cancels both.
 */
import type { JobInfo } from '../../../shared/api/index.js';
import { ApiError } from '../../../shared/api/index.js';
import type { EventBus } from '../event-bus.js';
import { JobRegistry, type JobWork } from './job-registry.js';

/** Lists and cancels over `parts`; new jobs go to the first. */
export class JobRegistryGroup extends JobRegistry {
  constructor(
    bus: EventBus,
    private readonly parts: readonly JobRegistry[],
  ) {
    super(bus);
  }

  /** Queues a job in the first registry. @returns its id */
  override submit(kind: JobInfo['kind'], label: string, work: JobWork): string {
    return this.parts[0].submit(kind, label, work);
  }

  /** Every job of every registry, oldest first. */
  override list(): JobInfo[] {
    return this.parts.flatMap((p) => p.list()).sort((a, b) => a.createdAt - b.createdAt);
  }

  private owner(jobId: string): JobRegistry {
    for (const p of this.parts) {
      if (p.list().some((j) => j.jobId === jobId)) return p;
    }
    throw new ApiError('not-found', `jobId: no job ${jobId}`, 'jobId');
  }

  /** One job. @throws ApiError not-found naming the id */
  override get(jobId: string): JobInfo {
    return this.owner(jobId).get(jobId);
  }

  /** Cancels a job of whichever registry holds it. @throws ApiError not-found */
  override cancel(jobId: string): JobInfo {
    return this.owner(jobId).cancel(jobId);
  }

  /** Cancels every job of every registry. */
  override async shutdown(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.shutdown()));
  }
}
