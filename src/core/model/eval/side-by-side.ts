/**
 * Side-by-side pictures of the evaluation, one PNG per offset: reference | each method | real,
 * left to right, separated by white gaps.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageWriteError, InvalidInputError } from '../../errors.js';
import { createLdr, type FloatImage, type LdrImage } from '../../image/image.js';
import { encodeLdr, writeFileAtomic } from '../../io/index.js';
import type { StackFrames } from './evaluate.js';

/**
 * Places images left to right, top-aligned, `gap` pixels apart on a `background` canvas.
 * @param images - at least one, all with the same channel count
 * @param gap - pixels between images (integer ≥ 0)
 * @param background - canvas value in [0, 1] (default 1, white)
 * @returns an 8-bit LDR image as wide as the images plus the gaps, as tall as the tallest
 */
export function sideBySide(images: readonly FloatImage[], gap = 4, background = 1): LdrImage {
  if (images.length === 0) throw new InvalidInputError('sideBySide: no images');
  if (!Number.isInteger(gap) || gap < 0) {
    throw new InvalidInputError(`sideBySide: gap must be an integer ≥ 0, got ${gap}`);
  }
  const channels = images[0].channels;
  if (images.some((im) => im.channels !== channels)) {
    throw new InvalidInputError('sideBySide: images differ in channel count');
  }
  const width = images.reduce((s, im) => s + im.width, 0) + gap * (images.length - 1);
  const height = Math.max(...images.map((im) => im.height));
  const out = new Float32Array(width * height * channels).fill(background);
  let x0 = 0;
  for (const im of images) {
    const row = im.width * channels;
    for (let y = 0; y < im.height; y++) {
      out.set(im.data.subarray(y * row, (y + 1) * row), (y * width + x0) * channels);
    }
    x0 += im.width + gap;
  }
  return createLdr(width, height, channels, out, 8);
}

function offsetLabel(offset: number): string {
  return `${offset >= 0 ? 'p' : 'm'}${String(Math.abs(offset)).replace('.', '_')}`;
}

/**
 * Writes one PNG per offset of a stack's frames: reference | methods (in the order of
 * `frames.predicted`) | real. Files are `<prefix>_ev<p|m><|offset|>.png` (e.g. memorial_evm2.png
 * for −2 EV) in `dir`, created if needed.
 * @param prefix - file-name prefix, default the stack's name with unsafe characters replaced
 * @returns the written paths, in offset order
 * @throws ImageWriteError when the folder or a file cannot be written
 */
export async function writeSideBySides(
  dir: string,
  frames: StackFrames,
  prefix = frames.name.replace(/[^A-Za-z0-9._-]+/g, '_'),
): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ImageWriteError(dir, `cannot create the folder: ${(err as Error).message}`);
  }
  const methods = Object.keys(frames.predicted);
  const written: string[] = [];
  for (let i = 0; i < frames.offsets.length; i++) {
    const row = [frames.reference, ...methods.map((m) => frames.predicted[m][i]), frames.real[i]];
    const file = join(dir, `${prefix}_ev${offsetLabel(frames.offsets[i])}.png`);
    await writeFileAtomic(file, await encodeLdr(sideBySide(row), 'png', { bitDepth: 8 }));
    written.push(file);
  }
  return written;
}
