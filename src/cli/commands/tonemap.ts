import { createLdr } from '../../core/image/image.js';
import { subProgress } from '../../core/job.js';
import { readImage, writeImage } from '../../core/io/index.js';
import { parseParamArgs, resolveAdjustments, toneMap } from '../../core/tonemap/index.js';
import type { Command } from '../command.js';
import { numberOption, requireOutput, stringOption } from '../frames.js';
import { UsageError } from '../usage-error.js';
import { InvalidInputError } from '../../core/errors.js';

export const tonemap: Command = {
  name: 'tonemap',
  summary: 'tone-map an HDR image (.exr/.hdr/float TIFF) to a display image',
  usage: `Usage: bracketeer tonemap <in.exr|in.hdr> -o out.jpg|.png|.tif|.webp|.avif --op <id> [options]

  --op ID              operator (see 'bracketeer ops'; default drago03)
  --param key=value    operator parameter, repeatable (ranges in 'bracketeer ops')
  --exposure EV        exposure after the operator, in EV (default 0)
  --saturation S       colour saturation, 0 = grey, 1 = unchanged (default 1)
  --gamma G            extra display gamma (default 1)
  --quality Q          JPEG/WebP/AVIF quality 1…100 (default 95)
  --bit-depth 8|16     PNG/TIFF bit depth (default 8)`,
  options: {
    op: { type: 'string' },
    param: { type: 'string', multiple: true },
    exposure: { type: 'string' },
    saturation: { type: 'string' },
    gamma: { type: 'string' },
    quality: { type: 'string' },
    'bit-depth': { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new UsageError('expects exactly one input file');
    const out = requireOutput(args);
    const op = stringOption(args, 'op') ?? 'drago03';
    const rawParams = (args.values.param ?? []) as string[];
    const params = parseParamArgs(rawParams);
    const adjustments = resolveAdjustments({
      exposure: numberOption(args, 'exposure', 0),
      saturation: numberOption(args, 'saturation', 1),
      gamma: numberOption(args, 'gamma', 1),
    });
    const quality = numberOption(
      args,
      'quality',
      95,
      (v) => Number.isInteger(v) && v >= 1 && v <= 100,
    );
    const bitDepth = numberOption(args, 'bit-depth', 8, (v) => v === 8 || v === 16) as 8 | 16;
    const img = await readImage(file);
    if (img.kind !== 'hdr') {
      throw new InvalidInputError(
        `${file}: is an LDR image; tone mapping needs an HDR input (.exr, .hdr, float TIFF)`,
      );
    }
    const t0 = performance.now();
    const display = toneMap(img, op, params, adjustments, {
      signal: ctx.signal,
      onProgress: subProgress(ctx.onProgress, 0, 0.85),
    });
    const ms = performance.now() - t0;
    const ldr = createLdr(display.width, display.height, display.channels, display.data, bitDepth);
    await writeImage(out, ldr, { quality, bitDepth });
    return {
      text: `tone-mapped ${file} with ${op} in ${(ms / 1000).toFixed(2)} s → ${out} ${ldr.width}×${ldr.height}`,
      data: {
        input: file,
        output: out,
        op,
        params,
        adjustments,
        width: ldr.width,
        height: ldr.height,
        ms,
      },
    };
  },
};
