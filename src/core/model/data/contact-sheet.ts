/**
 * Contact sheet of synthetic stacks, to look at the training data: one row per stack, one column
 * per EV frame (as the synthetic camera encoded it), plus a last column with the linear ground
 * truth tone-mapped by reinhard02 for reference. Frames are shown as they are (no extra curve).
 */
import { InvalidInputError } from '../../errors.js';
import { createHdr, createLdr, type LdrImage } from '../../image/image.js';
import type { JobOptions } from '../../job.js';
import { writeImage } from '../../io/index.js';
import { toneMap } from '../../tonemap/index.js';
import type { SynthStack } from './synth-stack.js';

/** Layout of {@link renderContactSheet}. */
export interface ContactSheetOptions {
  /** Gap between cells in pixels, default 4. */
  readonly gap?: number;
  /** Background grey in [0, 1], default 0.15. */
  readonly background?: number;
  /** Append the tone-mapped ground truth column, default true. */
  readonly groundTruth?: boolean;
}

function blit(
  dst: Float32Array,
  dstWidth: number,
  x0: number,
  y0: number,
  src: Float32Array,
  w: number,
  h: number,
): void {
  for (let y = 0; y < h; y++) {
    dst.set(src.subarray(3 * y * w, 3 * (y + 1) * w), 3 * ((y0 + y) * dstWidth + x0));
  }
}

/**
 * Composes stacks into one display image. All stacks must share size and EV count.
 * @returns an 8-bit-depth LDR image, (frames + 1) columns × stacks rows of cells
 * @throws InvalidInputError for no stacks or mixed shapes
 */
export function renderContactSheet(
  stacks: readonly SynthStack[],
  opts: ContactSheetOptions = {},
  options: JobOptions = {},
): LdrImage {
  if (stacks.length === 0) throw new InvalidInputError('contact sheet needs at least one stack');
  const { width: w, height: h } = stacks[0];
  const nf = stacks[0].frames.length;
  for (const s of stacks) {
    if (s.width !== w || s.height !== h || s.frames.length !== nf) {
      throw new InvalidInputError('contact sheet stacks must share crop size and EV count');
    }
  }
  const gap = opts.gap ?? 4;
  const cols = nf + (opts.groundTruth === false ? 0 : 1);
  const W = cols * w + (cols + 1) * gap;
  const H = stacks.length * h + (stacks.length + 1) * gap;
  const data = new Float32Array(W * H * 3).fill(opts.background ?? 0.15);
  stacks.forEach((s, r) => {
    const y0 = gap + r * (h + gap);
    s.frames.forEach((f, c) => blit(data, W, gap + c * (w + gap), y0, f, w, h));
    if (opts.groundTruth !== false) {
      const tm = toneMap(createHdr(w, h, 3, s.linear.slice()), 'reinhard02', {}, {}, options);
      blit(data, W, gap + nf * (w + gap), y0, tm.data, w, h);
    }
    options.onProgress?.({ fraction: (r + 1) / stacks.length, message: 'Contact sheet' });
  });
  return createLdr(W, H, 3, data, 8);
}

/**
 * Renders and writes a contact sheet (PNG, JPEG… by extension) atomically.
 * @throws ImageWriteError for an unwritable path or unknown extension
 */
export async function writeContactSheet(
  file: string,
  stacks: readonly SynthStack[],
  opts: ContactSheetOptions = {},
  options: JobOptions = {},
): Promise<void> {
  await writeImage(file, renderContactSheet(stacks, opts, options), { signal: options.signal });
}
