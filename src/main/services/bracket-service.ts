/** `bracket.start`: virtual bracket jobs, rendered by the model runner, staged, then committed. */
import path from 'node:path';
import { throwIfAborted } from '../../core/job.js';
import { DEFAULT_MODEL_ID } from '../../core/model/store/index.js';
import {
  ApiError,
  parseRequest,
  type BracketJobResult,
  type InvokeRequest,
} from '../../shared/api/index.js';
import { listInstalledModels } from './installed-models.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { ModelRunner } from './jobs/model-runner.js';
import { createStaging } from './jobs/staging.js';
import type { PathPolicy } from './paths.js';
import type { ServiceArea } from './service-area.js';

/** Starts bracket jobs. */
export class BracketService implements ServiceArea {
  readonly name = 'bracket';
  readonly handlers = { 'bracket.start': this.start.bind(this) };

  constructor(
    private readonly jobs: JobRegistry,
    private readonly runner: ModelRunner,
    private readonly paths: PathPolicy,
  ) {}

  /**
   * Validates the request (paths, model) and queues the job. Frames are written to a staging
   * folder inside `outDir` and moved into place when every frame is done; existing files of the
   * same names are replaced at that moment. Cancelled or failed jobs leave no files.
   * @throws ApiError invalid / not-found / forbidden naming the field
   */
  async start(request: InvokeRequest<'bracket.start'>): Promise<{ jobId: string }> {
    const req = parseRequest('bracket.start', request);
    const input = await this.paths.inputFile(req.path, 'path');
    const { dir: outDir } = await this.paths.outputDir(req.outDir, 'outDir');
    const model = req.model ?? DEFAULT_MODEL_ID;
    const installed = await listInstalledModels();
    if (!installed.models.some((m) => m.id === model)) {
      const where = installed.directory ?? 'no models folder (set BRACKETEER_MODELS_DIR)';
      throw new ApiError('not-found', `model: "${model}" is not installed in ${where}`, 'model');
    }
    const { evs, format, quality } = req;
    const label = `${path.basename(input)}: ${evs.length} frame${evs.length === 1 ? '' : 's'} (${format})`;
    const jobId = this.jobs.submit('bracket', label, async ({ jobId: id, signal, onProgress }) => {
      const staging = await createStaging(outDir, id);
      try {
        const out = await this.runner.bracket(
          { input, evs, outDir: staging.dir, format, quality, model },
          { signal, onProgress },
        );
        throwIfAborted(signal);
        const files = await staging.commit(out.frames.map((f) => f.file));
        const result: BracketJobResult = {
          input: { path: input, width: out.width, height: out.height },
          frames: out.frames.map((f, i) => ({ ev: f.ev, path: files[i] })),
          model: out.model,
          backend: out.backend,
          renderMs: out.renderMs,
          totalMs: out.totalMs,
        };
        return result;
      } catch (err) {
        await staging.discard();
        throw err;
      }
    });
    return { jobId };
  }
}
