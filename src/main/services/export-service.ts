/**
 * `export.tonemap`: tone-maps a batch of HDR files to display images (JPEG, TIFF, PNG, AVIF) as
 * one queued job. The work runs on a worker thread of its own (the local operators are
 * CPU-heavy); files are staged in a hidden folder of `outDir` and linked into place only when the
 * whole batch succeeded, never over an existing file, so a cancelled or failed batch leaves
 * nothing behind.
 */
import path from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { throwIfAborted } from '../../core/job.js';
import { getOperator, resolveAdjustments, resolveParams } from '../../core/tonemap/index.js';
import { fileStem } from '../../shared/api/file-pattern.js';
import {
  ApiError,
  parseRequest,
  type ExportJobResult,
  type InvokeRequest,
} from '../../shared/api/index.js';
import { commitNoClobber, plannedNames } from './jobs/commit-outputs.js';
import type { JobRegistry } from './jobs/job-registry.js';
import { createStaging } from './jobs/staging.js';
import type { TaskRunner } from './jobs/task-runner.js';
import type { PathPolicy } from './paths.js';
import type { ServiceArea } from './service-area.js';

/** Re-throws the engine's parameter errors as ApiErrors naming the request field. */
function checkToneMapping(
  op: string,
  params: Record<string, number>,
  adjustments: { exposure: number; saturation: number; gamma: number },
): void {
  const wrap = (field: string, fn: () => unknown): void => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      const key = /"([^"]+)"/.exec(err.message)?.[1];
      const name = field === 'params' && key ? `params.${key}` : field;
      throw new ApiError('invalid', `export.tonemap: ${name}: ${err.message}`, name);
    }
  };
  wrap('op', () => getOperator(op));
  wrap('params', () => resolveParams(getOperator(op).meta, params));
  for (const key of ['exposure', 'saturation', 'gamma'] as const) {
    wrap(key, () => resolveAdjustments({ [key]: adjustments[key] }));
  }
}

/** Tone-mapped exports. */
export class ExportService implements ServiceArea {
  readonly name = 'export';
  readonly handlers = { 'export.tonemap': this.tonemap.bind(this) };

  constructor(
    private readonly jobs: JobRegistry,
    private readonly tasks: TaskRunner,
    private readonly paths: PathPolicy,
  ) {}

  /**
   * Validates the request (files, operator and parameters, format, pattern and collisions) and
   * queues the export.
   * @throws ApiError invalid / not-found / forbidden naming the field
   */
  async tonemap(request: InvokeRequest<'export.tonemap'>): Promise<{ jobId: string }> {
    const req = parseRequest('export.tonemap', request);
    const adjustments = { exposure: req.exposure, saturation: req.saturation, gamma: req.gamma };
    checkToneMapping(req.op, req.params, adjustments);
    const bitDepth = req.bitDepth ?? (req.format === 'tif' ? 16 : 8);
    if (bitDepth === 16 && (req.format === 'jpg' || req.format === 'avif')) {
      throw new ApiError(
        'invalid',
        `export.tonemap: bitDepth: ${req.format.toUpperCase()} holds 8-bit samples only`,
        'bitDepth',
      );
    }
    const inputs: string[] = [];
    for (let i = 0; i < req.paths.length; i++) {
      inputs.push(await this.paths.inputFile(req.paths[i], `paths[${i}]`));
    }
    const { dir: outDir } = await this.paths.outputDir(req.outDir, 'outDir');
    const names = await plannedNames(
      'pattern',
      req.pattern,
      ['name', 'index'],
      inputs.map((f, i) => ({ name: fileStem(f), index: i + 1, count: inputs.length })),
      req.format,
      outDir,
    );
    const targets = names.map((n) => path.join(outDir, n));
    const overwritesInput = targets.find((t) => inputs.includes(t));
    if (overwritesInput) {
      throw new ApiError(
        'invalid',
        `pattern: ${overwritesInput} would overwrite an input`,
        'pattern',
      );
    }
    const n = inputs.length;
    const label =
      n === 1
        ? `${path.basename(inputs[0])}: tone-mapped ${req.format.toUpperCase()} (${req.op})`
        : `${n} files: tone-mapped ${req.format.toUpperCase()} (${req.op})`;
    const jobId = this.jobs.submit('export', label, async ({ jobId: id, signal, onProgress }) => {
      const t0 = performance.now();
      const staging = await createStaging(outDir, id);
      try {
        const out = await this.tasks.tonemap(
          {
            inputs,
            outputs: names.map((name) => path.join(staging.dir, name)),
            op: req.op,
            params: req.params,
            ...adjustments,
            quality: req.quality,
            bitDepth,
          },
          { signal, onProgress },
        );
        throwIfAborted(signal);
        await commitNoClobber(out.files.map((from, i) => ({ from, to: targets[i] })));
        await staging.discard();
        const result: ExportJobResult = {
          kind: 'export',
          outDir,
          files: inputs.map((input, i) => ({ input, path: targets[i] })),
          totalMs: performance.now() - t0,
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
