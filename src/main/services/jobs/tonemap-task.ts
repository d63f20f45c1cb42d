/**
 * The tone-mapped export of a batch of HDR files, file by file (run on a worker thread: the
 * local operators are CPU-heavy). Each output is written atomically to the path it is given
 * (the caller's staging folder); progress counts files, each split into read, tone-map, write.
 */
import { InvalidInputError } from '../../../core/errors.js';
import { createLdr } from '../../../core/image/image.js';
import { readImage, writeImage } from '../../../core/io/index.js';
import { subProgress, throwIfAborted, type JobOptions } from '../../../core/job.js';
import { toneMap } from '../../../core/tonemap/index.js';
import type { TonemapOutput, TonemapSpec } from './task-protocol.js';

/**
 * Tone-maps `spec.inputs[i]` to `spec.outputs[i]` for every i.
 * @throws ImageReadError for unreadable inputs; InvalidInputError for an LDR input or bad
 *   parameters; ImageWriteError for unwritable outputs; CancelledError when the signal aborts
 */
export async function runTonemapExport(
  spec: TonemapSpec,
  options: JobOptions,
): Promise<TonemapOutput> {
  const n = spec.inputs.length;
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    throwIfAborted(options.signal);
    const input = spec.inputs[i];
    const name = input.split(/[/\\]/).pop() ?? input;
    const stage = (start: number, message: string): void =>
      options.onProgress?.({ fraction: (i + start) / n, message });
    stage(0, `${i + 1}/${n} ${name}: reading`);
    const img = await readImage(input, { signal: options.signal });
    if (img.kind !== 'hdr') {
      throw new InvalidInputError(
        `${input}: is an LDR image; tone mapping needs an HDR input (.exr, .hdr, float TIFF)`,
      );
    }
    stage(0.15, `${i + 1}/${n} ${name}: tone mapping (${spec.op})`);
    const display = toneMap(
      img,
      spec.op,
      { ...spec.params },
      { exposure: spec.exposure, saturation: spec.saturation, gamma: spec.gamma },
      {
        signal: options.signal,
        onProgress: subProgress(
          (p) =>
            options.onProgress?.({
              fraction: (i + p.fraction) / n,
              message: `${i + 1}/${n} ${name}: tone mapping (${spec.op})`,
            }),
          0.15,
          0.7,
        ),
      },
    );
    throwIfAborted(options.signal);
    stage(0.85, `${i + 1}/${n} ${name}: writing`);
    const ldr = createLdr(
      display.width,
      display.height,
      display.channels,
      display.data,
      spec.bitDepth,
    );
    await writeImage(spec.outputs[i], ldr, {
      quality: spec.quality,
      bitDepth: spec.bitDepth,
      signal: options.signal,
    });
    files.push(spec.outputs[i]);
    options.onProgress?.({ fraction: (i + 1) / n, message: `${i + 1}/${n} ${name}: written` });
  }
  return { files };
}
