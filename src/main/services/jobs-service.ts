/** `jobs.cancel` and `jobs.list`. */
import { parseRequest, type InvokeRequest, type JobInfo } from '../../shared/api/index.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { ServiceArea } from './service-area.js';

/** The job queue as the contract exposes it. */
export class JobsService implements ServiceArea {
  readonly name = 'jobs';
  readonly handlers = {
    'jobs.cancel': this.cancel.bind(this),
    'jobs.list': this.list.bind(this),
  };

  constructor(private readonly jobs: JobRegistry) {}

  /** Cancels a job. @throws ApiError not-found for an unknown id */
  async cancel(request: InvokeRequest<'jobs.cancel'>): Promise<JobInfo> {
    const { jobId } = parseRequest('jobs.cancel', request);
    return this.jobs.cancel(jobId);
  }

  /** Every job of this session, oldest first. */
  async list(request: InvokeRequest<'jobs.list'> = {}): Promise<readonly JobInfo[]> {
    parseRequest('jobs.list', request);
    return this.jobs.list();
  }
}
