/**
 * `bracket.start`: virtual bracket jobs, rendered by the model runner into a staging folder, then
 * linked into place under names from the request's file-name pattern (never over an existing
 * file); optionally merged to an HDR file (.exr/.hdr) as `bracketeer bracket --merge` does.
 */
import path from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { throwIfAborted } from '../../core/job.js';
import { profileLabel } from '../../core/model/finetune/profile-file.js';
import { evText, fileStem } from '../../shared/api/file-pattern.js';
import {
  ApiError,
  parseRequest,
  type BracketJobResult,
  type InvokeRequest,
} from '../../shared/api/index.js';
import { commitNoClobber, plannedNames } from './jobs/commit-outputs.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { ModelRunner } from './jobs/model-runner.js';
import { profileForPhoto } from './models-service.js';
import { createStaging } from './jobs/staging.js';
import type { PathPolicy } from './paths.js';
import { requireModel } from './require-model.js';
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
   * Validates the request (paths, model, pattern, collisions) and queues the job. Frames are
   * written to a staging folder inside `outDir` and linked into place when every frame is done;
   * a name that already exists is refused up front (and again at commit). Cancelled or failed
   * jobs leave no files.
   * @throws ApiError invalid / not-found / forbidden naming the field
   */
  async start(request: InvokeRequest<'bracket.start'>): Promise<{ jobId: string }> {
    const req = parseRequest('bracket.start', request);
    const input = await this.paths.inputFile(req.path, 'path');
    const { dir: outDir } = await this.paths.outputDir(req.outDir, 'outDir');
    const model = await requireModel(req.model);
    const { evs, format, quality, merge, keepFrames } = req;
    if (!keepFrames && !merge) {
      throw new ApiError('invalid', 'keepFrames: false needs merge (exr or hdr)', 'keepFrames');
    }
    const name = fileStem(input);
    const mergeName = merge
      ? (
          await plannedNames(
            'mergePattern',
            req.mergePattern,
            ['name', 'ev', 'index'],
            [{ name, ev: 'hdr', index: 1, count: 1 }],
            merge,
            outDir,
          )
        )[0]
      : null;
    const ext = format === 'jpg' ? 'jpg' : 'tif';
    const frameNames = keepFrames
      ? await plannedNames(
          'pattern',
          req.pattern,
          ['name', 'ev', 'index'],
          evs.map((ev, i) => ({ name, ev: evText(ev), index: i + 1, count: evs.length })),
          ext,
          outDir,
          mergeName ? [mergeName] : [],
        )
      : [];
    const targets = [...frameNames, ...(mergeName ? [mergeName] : [])].map((n) =>
      path.join(outDir, n),
    );
    if (targets.includes(input)) {
      throw new ApiError('invalid', `pattern: the output would overwrite ${input}`, 'pattern');
    }
    const what = keepFrames
      ? `${evs.length} frame${evs.length === 1 ? '' : 's'} (${format})${merge ? ` + ${merge}` : ''}`
      : `HDR (${merge}) of ${evs.length} frame${evs.length === 1 ? '' : 's'}`;
    const label = `${path.basename(input)}: ${what}`;
    // HDR merges use the model's camera profile when it is for the photo's camera
    let profile: Awaited<ReturnType<typeof profileForPhoto>> = null;
    if (mergeName) {
      try {
        profile = await profileForPhoto(model, input);
      } catch (err) {
        if (err instanceof InvalidInputError) throw new ApiError('invalid', err.message, 'model');
        throw err;
      }
    }
    const jobId = this.jobs.submit('bracket', label, async ({ jobId: id, signal, onProgress }) => {
      const staging = await createStaging(outDir, id);
      try {
        const out = await this.runner.bracket(
          {
            input,
            evs,
            outDir: staging.dir,
            format,
            quality,
            model,
            ...(mergeName ? { mergeTo: path.join(staging.dir, mergeName) } : {}),
            ...(profile
              ? {
                  response: {
                    inverse: profile.profile.inverse,
                    source: `profile:${profileLabel(profile.profile)}`,
                    residual: profile.profile.residual,
                  },
                }
              : {}),
          },
          { signal, onProgress },
        );
        throwIfAborted(signal);
        const moves = keepFrames
          ? out.frames.map((f, i) => ({ from: f.file, to: path.join(outDir, frameNames[i]) }))
          : [];
        if (mergeName && out.merged)
          moves.push({ from: out.merged, to: path.join(outDir, mergeName) });
        await commitNoClobber(moves);
        await staging.discard();
        const result: BracketJobResult = {
          input: { path: input, width: out.width, height: out.height },
          frames: keepFrames ? out.frames.map((f, i) => ({ ev: f.ev, path: moves[i].to })) : [],
          ...(mergeName ? { merged: path.join(outDir, mergeName) } : {}),
          ...(out.mergeResponse
            ? {
                mergeResponse: {
                  profile: profile?.summary ?? null,
                  source: out.mergeResponse.source,
                },
              }
            : {}),
          outDir,
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
