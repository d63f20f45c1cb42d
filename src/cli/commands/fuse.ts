import { alignMtb } from '../../core/hdr/align-mtb.js';
import { fuseMertens } from '../../core/hdr/fuse-mertens.js';
import { subProgress } from '../../core/job.js';
import { writeImage } from '../../core/io/index.js';
import type { Command } from '../command.js';
import { numberOption, readFrames, requireOutput } from '../frames.js';

const exponent = (v: number): boolean => Number.isFinite(v) && v >= 0;

export const fuse: Command = {
  name: 'fuse',
  summary: 'fuse a bracket directly into a display image (Mertens exposure fusion)',
  usage: `Usage: bracketeer fuse <frames…> -o out.jpg|.png|.tif [options]

Exposure fusion needs no exposure times and no response curve.
  --align                 align frames first (median threshold bitmaps)
  --contrast W            weight exponent of local contrast (default 1)
  --saturation W          weight exponent of colour saturation (default 1)
  --exposedness W         weight exponent of well-exposedness (default 1)
  --quality Q             JPEG/WebP/AVIF quality 1…100 (default 95)
  --bit-depth 8|16        PNG/TIFF bit depth (default: the frames' depth)`,
  options: {
    align: { type: 'boolean' },
    contrast: { type: 'string' },
    saturation: { type: 'string' },
    exposedness: { type: 'string' },
    quality: { type: 'string' },
    'bit-depth': { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run(args, ctx) {
    const files = args.positionals;
    const out = requireOutput(args);
    const quality = numberOption(
      args,
      'quality',
      95,
      (v) => Number.isInteger(v) && v >= 1 && v <= 100,
    );
    const bitDepth = numberOption(args, 'bit-depth', 0, (v) => v === 8 || v === 16);
    let frames = await readFrames(files);
    if (args.values.align) {
      frames = alignMtb(frames, {
        signal: ctx.signal,
        onProgress: subProgress(ctx.onProgress, 0, 0.2),
      }).frames;
    }
    const fused = fuseMertens(frames, {
      contrast: numberOption(args, 'contrast', 1, exponent),
      saturation: numberOption(args, 'saturation', 1, exponent),
      exposure: numberOption(args, 'exposedness', 1, exponent),
      signal: ctx.signal,
      onProgress: subProgress(ctx.onProgress, 0.2, 0.7),
    });
    await writeImage(out, fused, {
      quality,
      ...(bitDepth ? { bitDepth: bitDepth as 8 | 16 } : {}),
    });
    return {
      text: `fused ${files.length} frames (Mertens) → ${out} ${fused.width}×${fused.height}`,
      data: { output: out, width: fused.width, height: fused.height, frames: files.length },
    };
  },
};
