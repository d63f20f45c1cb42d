/**
 * The job queue: jobs run one at a time in submission order (the model runtime uses every core),
 * each with an AbortController for cancellation; state changes and throttled progress are
 * published on the event bus as the contract's job.* events.
 */
import { randomUUID } from 'node:crypto';
import { CancelledError } from '../../../core/errors.js';
import type { Progress } from '../../../core/job.js';
import type { JobInfo, JobResult, JobState } from '../../../shared/api/index.js';
import { ApiError } from '../../../shared/api/index.js';
import type { EventBus } from '../event-bus.js';
import { estimateEta } from './eta.js';

/** What a job does once it runs. */
export type JobWork = (options: {
  readonly jobId: string;
  readonly signal: AbortSignal;
  readonly onProgress: (p: Progress) => void;
}) => Promise<JobResult>;

interface Job {
  info: JobInfo;
  readonly work: JobWork;
  readonly controller: AbortController;
  lastEmit: number;
  settled: Promise<void>;
}

/** Options of {@link JobRegistry}. */
export interface JobRegistryOptions {
  /** Minimum interval between two progress events of one job, ms (default 100). */
  readonly progressIntervalMs?: number;
  /** Finished jobs kept for `jobs.list` (default 200). */
  readonly keepFinished?: number;
}

const FINISHED: readonly JobState[] = ['done', 'failed', 'cancelled'];

function oneLine(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.replace(/\s*\n\s*/g, ' ').trim() || 'failed';
}

/** Queue, state and events of every job. */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private readonly interval: number;
  private readonly keep: number;

  constructor(
    private readonly bus: EventBus,
    options: JobRegistryOptions = {},
  ) {
    this.interval = options.progressIntervalMs ?? 100;
    this.keep = options.keepFinished ?? 200;
  }

  /** Queues a job; emits job.queued. @returns its id */
  submit(kind: JobInfo['kind'], label: string, work: JobWork): string {
    const jobId = randomUUID();
    const job: Job = {
      info: {
        jobId,
        kind,
        label,
        state: 'queued',
        fraction: 0,
        message: 'Queued',
        etaSeconds: null,
        createdAt: Date.now(),
        startedAt: null,
        finishedAt: null,
        cancelRequested: false,
        error: null,
        result: null,
      },
      work,
      controller: new AbortController(),
      lastEmit: 0,
      settled: Promise.resolve(),
    };
    this.jobs.set(jobId, job);
    this.queue.push(job);
    this.bus.emit('job.queued', job.info);
    this.prune();
    queueMicrotask(() => this.pump());
    return jobId;
  }

  /** Every job, oldest first. */
  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => j.info);
  }

  /** One job. @throws ApiError not-found naming the id */
  get(jobId: string): JobInfo {
    return this.find(jobId).info;
  }

  private find(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('not-found', `jobId: no job ${jobId}`, 'jobId');
    return job;
  }

  /**
   * Cancels a job: a queued one at once (job.cancelled), a running one through its signal (the
   * job.cancelled event follows once it has stopped and cleaned up). Finished jobs are left alone.
   * @returns the job's state after the request
   */
  cancel(jobId: string): JobInfo {
    const job = this.find(jobId);
    if (job.info.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finish(job, 'cancelled', { message: 'Cancelled' });
    } else if (job.info.state === 'running' && !job.info.cancelRequested) {
      job.info = { ...job.info, cancelRequested: true, message: 'Cancelling' };
      job.controller.abort();
    }
    return job.info;
  }

  /** Cancels every job and waits for the running one to stop. */
  async shutdown(): Promise<void> {
    for (const job of [...this.queue]) this.cancel(job.info.jobId);
    const running = this.running;
    if (running) {
      this.cancel(running.info.jobId);
      await running.settled;
    }
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    job.settled = this.run(job).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private async run(job: Job): Promise<void> {
    const startedAt = Date.now();
    job.info = { ...job.info, state: 'running', startedAt, message: 'Starting' };
    this.bus.emit('job.started', { jobId: job.info.jobId });
    const onProgress = (p: Progress): void => {
      if (job.info.state !== 'running') return;
      const fraction = Math.max(job.info.fraction, Math.min(1, Math.max(0, p.fraction)));
      const etaSeconds = estimateEta((Date.now() - startedAt) / 1000, fraction);
      const message = job.info.cancelRequested ? 'Cancelling' : (p.message ?? job.info.message);
      job.info = { ...job.info, fraction, message, etaSeconds };
      const now = performance.now();
      if (now - job.lastEmit < this.interval) return;
      job.lastEmit = now;
      this.bus.emit('job.progress', { jobId: job.info.jobId, fraction, message, etaSeconds });
    };
    try {
      const result = await job.work({
        jobId: job.info.jobId,
        signal: job.controller.signal,
        onProgress,
      });
      // Work that completed is done even if a cancel arrived meanwhile: its files are final.
      this.finish(job, 'done', { result, fraction: 1, message: 'Done' });
    } catch (err) {
      if (err instanceof CancelledError || job.controller.signal.aborted) {
        this.finish(job, 'cancelled', { message: 'Cancelled' });
      } else {
        this.finish(job, 'failed', { error: oneLine(err), message: 'Failed' });
      }
    }
  }

  private finish(job: Job, state: JobState, patch: Partial<JobInfo>): void {
    job.info = { ...job.info, ...patch, state, etaSeconds: null, finishedAt: Date.now() };
    const { jobId } = job.info;
    if (state === 'done' && job.info.result) {
      this.bus.emit('job.done', { jobId, result: job.info.result });
    } else if (state === 'failed') {
      this.bus.emit('job.failed', { jobId, message: job.info.error ?? 'failed' });
    } else {
      this.bus.emit('job.cancelled', { jobId });
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => FINISHED.includes(j.info.state));
    for (const j of finished.slice(0, Math.max(0, finished.length - this.keep))) {
      this.jobs.delete(j.info.jobId);
    }
  }
}
