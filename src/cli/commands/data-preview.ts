import { mulberry32 } from '../../core/camera/rng.js';
import { subProgress } from '../../core/job.js';
import { loadHdrDataset } from '../../core/model/data/hdr-source.js';
import { makeValidationStacks } from '../../core/model/data/batch.js';
import { writeContactSheet } from '../../core/model/data/contact-sheet.js';
import { STACK_EVS } from '../../core/model/data/synth-stack.js';
import type { Command } from '../command.js';
import { numberOption, requireOutput, stringOption } from '../frames.js';
import { UsageError } from '../usage-error.js';

export const dataPreview: Command = {
  name: 'data-preview',
  summary: 'write a contact sheet of synthetic training brackets (EV −3…+3)',
  usage: `Usage: bracketeer data-preview --hdr-dir DIR -o sheet.png [options]

Loads the HDR images, splits them by scene (train/validation) and renders synthetic brackets:
one row per sample, columns EV −3 … +3 as the random camera recorded them, and the linear
ground truth tone-mapped (reinhard02) on the right.

  --hdr-dir DIR        folder of .hdr/.exr images (e.g. ../shared/data/hdr)
  --seed N             dataset seed: split and samples (default 1)
  --rows N             number of samples (default 8)
  --size PX            crop size in pixels (default 128)
  --split S            train | validation (default train)
  --jpeg P             probability of a JPEG round trip per sample, 0…1 (default 0.5)
  --no-noise           switch the sensor noise off
  -o, --output FILE    the sheet (.png recommended)`,
  options: {
    'hdr-dir': { type: 'string' },
    seed: { type: 'string' },
    rows: { type: 'string' },
    size: { type: 'string' },
    split: { type: 'string' },
    jpeg: { type: 'string' },
    'no-noise': { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError('takes no positional arguments');
    const dir = stringOption(args, 'hdr-dir');
    if (!dir) throw new UsageError('missing --hdr-dir');
    const out = requireOutput(args);
    const seed = numberOption(args, 'seed', 1, Number.isInteger);
    const rows = numberOption(args, 'rows', 8, (v) => Number.isInteger(v) && v >= 1 && v <= 64);
    const size = numberOption(
      args,
      'size',
      128,
      (v) => Number.isInteger(v) && v >= 16 && v <= 1024,
    );
    const jpeg = numberOption(args, 'jpeg', 0.5, (v) => v >= 0 && v <= 1);
    const which = stringOption(args, 'split') ?? 'train';
    if (which !== 'train' && which !== 'validation') {
      throw new UsageError(`--split: expected train or validation, got "${which}"`);
    }
    const t0 = performance.now();
    const data = await loadHdrDataset(dir, seed, 0.15, {
      signal: ctx.signal,
      onProgress: subProgress(ctx.onProgress, 0, 0.6),
    });
    const pool = which === 'train' ? data.train : data.validation;
    if (pool.length === 0) throw new UsageError(`the ${which} split is empty`);
    // One stack per row, cycling through the pool in a seed-dependent order.
    const rng = mulberry32(seed);
    const order = pool.map((s) => ({ s, k: rng() })).sort((a, b) => a.k - b.k);
    const picked = Array.from({ length: rows }, (_, r) => order[r % order.length].s);
    const stacks = await makeValidationStacks(
      picked,
      seed,
      1,
      {
        size,
        jpeg: jpeg > 0 ? { probability: jpeg, quality: [70, 98] } : false,
        ...(args.values['no-noise'] === true ? { noise: false as const } : {}),
      },
      STACK_EVS,
      { signal: ctx.signal, onProgress: subProgress(ctx.onProgress, 0.6, 0.95) },
    );
    await writeContactSheet(out, stacks, {}, { signal: ctx.signal });
    const ms = performance.now() - t0;
    const samples = stacks.map((s) => ({
      source: s.source,
      crop: s.crop,
      response: { family: s.response.family, params: s.response.params },
      augment: s.augment,
      baseScale: s.baseScale,
      noise: s.noise,
      jpegQuality: s.jpegQuality,
    }));
    const lines = [
      `split (seed ${seed}): ${data.split.train.length} train / ${data.split.validation.length} validation images, ${data.split.excluded.length} excluded`,
      ...stacks.map(
        (s, r) =>
          `  row ${r + 1}: ${s.source}  ${s.response.family}  jpeg ${s.jpegQuality ?? '—'}  noise ${s.noise ? s.noise.shot.toExponential(1) : '—'}`,
      ),
      `wrote ${out} (${rows} rows × EV ${STACK_EVS.join(', ')} + reinhard02 reference) in ${(ms / 1000).toFixed(1)} s`,
    ];
    return { text: lines.join('\n'), data: { output: out, split: data.split, samples, ms } };
  },
};
