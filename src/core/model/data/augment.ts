/**
 * Photometric and geometric augmentation of linear RGB crops (interleaved Float32Array, values
 * ≥ 0, scene-linear): the 8 flips/90° rotations, white-balance gains and saturation, applied
 * before the synthetic camera, as a real scene would vary.
 */
import { InvalidInputError } from '../../errors.js';
import { uniform, type Rng } from '../../camera/rng.js';

/** Ranges for {@link randomAugment}. */
export interface AugmentRanges {
  /**
   * Orientations drawn: 'upright' (default) = identity, horizontal flip and ±90° turns (with and
   * without flip: 6 of 8, never upside down); 'all' = the 8 dihedral transforms; 'none'.
   */
  readonly geometric?: 'upright' | 'all' | 'none';
  /** Per-channel gain range in stops around 1, applied to R and B relative to G (default 0.3). */
  readonly whiteBalanceStops?: number;
  /** Saturation factor range [min, max] (default [0.7, 1.3]). */
  readonly saturation?: readonly [number, number];
}

/** The augmentation that was drawn. */
export interface AugmentParams {
  /** Dihedral transform 0…7: bit 0 = horizontal flip, bits 1–2 = number of 90° turns (CW). */
  readonly orient: number;
  /** Gains for R, G, B (linear factors, G = 1). */
  readonly gains: readonly [number, number, number];
  /** Saturation factor (1 = unchanged, 0 = grey). */
  readonly saturation: number;
}

/**
 * Applies one of the 8 dihedral transforms: optional horizontal flip, then k clockwise 90° turns.
 * @param orient - 0…7 (bit 0 flip, bits 1–2 turns)
 * @returns the new pixels and size (width and height swap for an odd number of turns)
 */
export function orientCrop(
  data: Float32Array,
  width: number,
  height: number,
  orient: number,
): { data: Float32Array; width: number; height: number } {
  if (!Number.isInteger(orient) || orient < 0 || orient > 7) {
    throw new InvalidInputError(`orient must be an integer 0…7, got ${orient}`);
  }
  if (data.length !== width * height * 3) {
    throw new InvalidInputError(`expected ${width}×${height}×3 samples, got ${data.length}`);
  }
  if (orient === 0) return { data: data.slice(), width, height };
  const flip = (orient & 1) === 1;
  const turns = orient >> 1;
  const ow = turns % 2 === 1 ? height : width;
  const oh = turns % 2 === 1 ? width : height;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x0 = 0; x0 < width; x0++) {
      const x = flip ? width - 1 - x0 : x0;
      let ox: number;
      let oy: number;
      switch (turns) {
        case 0:
          ox = x;
          oy = y;
          break;
        case 1: // clockwise: (x, y) → (H−1−y, x)
          ox = height - 1 - y;
          oy = x;
          break;
        case 2:
          ox = width - 1 - x;
          oy = height - 1 - y;
          break;
        default: // counter-clockwise: (x, y) → (y, W−1−x)
          ox = y;
          oy = width - 1 - x;
      }
      const s = 3 * (y * width + x0);
      const d = 3 * (oy * ow + ox);
      out[d] = data[s];
      out[d + 1] = data[s + 1];
      out[d + 2] = data[s + 2];
    }
  }
  return { data: out, width: ow, height: oh };
}

/**
 * Multiplies each channel by its gain, in place (white-balance shift in linear RGB).
 * @param gains - positive linear factors for R, G, B
 */
export function applyGains(data: Float32Array, gains: readonly [number, number, number]): void {
  const [r, g, b] = gains;
  for (let i = 0; i < data.length; i += 3) {
    data[i] *= r;
    data[i + 1] *= g;
    data[i + 2] *= b;
  }
}

/**
 * Scales chroma around Rec.709 luminance, in place: c' = Y + s·(c − Y), clamped at 0 so the
 * result stays physical (linear light is never negative).
 * @param s - saturation factor ≥ 0 (1 = unchanged, 0 = grey)
 */
export function applySaturation(data: Float32Array, s: number): void {
  if (s === 1) return;
  for (let i = 0; i < data.length; i += 3) {
    const y = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
    const r = y + s * (data[i] - y);
    const g = y + s * (data[i + 1] - y);
    const b = y + s * (data[i + 2] - y);
    data[i] = r > 0 ? r : 0;
    data[i + 1] = g > 0 ? g : 0;
    data[i + 2] = b > 0 ? b : 0;
  }
}

/** Orientations without a 180° turn: turns 0, 1 (CW), 3 (CCW), each with and without flip. */
const UPRIGHT = [0, 1, 2, 3, 6, 7] as const;

/** Draws augmentation parameters (consumes exactly 4 rng values). */
export function randomAugmentParams(rng: Rng, ranges: AugmentRanges = {}): AugmentParams {
  const geo = ranges.geometric ?? 'upright';
  const u = rng();
  const o =
    geo === 'all' ? Math.min(7, Math.floor(u * 8)) : UPRIGHT[Math.min(5, Math.floor(u * 6))];
  const wb = ranges.whiteBalanceStops ?? 0.3;
  const [s0, s1] = ranges.saturation ?? [0.7, 1.3];
  const r = 2 ** uniform(rng, -wb, wb);
  const b = 2 ** uniform(rng, -wb, wb);
  const sat = uniform(rng, s0, s1);
  return { orient: geo === 'none' ? 0 : o, gains: [r, 1, b], saturation: sat };
}

/**
 * Applies drawn augmentation parameters; returns a new buffer (the input is not modified).
 */
export function applyAugment(
  data: Float32Array,
  width: number,
  height: number,
  p: AugmentParams,
): { data: Float32Array; width: number; height: number } {
  const o = orientCrop(data, width, height, p.orient);
  applyGains(o.data, p.gains);
  applySaturation(o.data, p.saturation);
  return o;
}
