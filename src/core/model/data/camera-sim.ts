/**
 * A synthetic camera for training data: scene-linear crop × exposure → sensor noise (shot + read,
 * in linear) → clip at saturation (1) → camera response → 8-bit quantisation → optional JPEG
 * round trip (through sharp, in memory). Frames are interleaved RGB Float32Arrays in [0, 1].
 */
import type { ParametricResponse } from '../../camera/parametric.js';
import type { Rng } from '../../camera/rng.js';
import { createLdr } from '../../image/image.js';
import { decodeWithSharp, encodeLdr } from '../../io/index.js';

/** Sensor noise, variance = shot·X + read (X: relative exposure, saturation at 1). */
export interface NoiseParams {
  /** Shot-noise gain (variance per unit exposure), e.g. 1e-4 (clean) … 2e-3 (high ISO). */
  readonly shot: number;
  /** Read-noise variance, e.g. 1e-7 … 1e-5. */
  readonly read: number;
}

/** Samples of the forward curve on u = √x, x ∈ [0, 1]; x ≥ 1 → 1. */
const LUT_SIZE = 4096;

/**
 * Tabulates a camera response's forward curve on √x (fine where the curve is steep, near 0),
 * for {@link exposeFrame}. Error vs the exact curve is far below an 8-bit code.
 */
export function forwardLut(response: ParametricResponse): Float32Array {
  const lut = new Float32Array(LUT_SIZE + 2);
  for (let k = 0; k <= LUT_SIZE; k++) {
    const u = k / LUT_SIZE;
    lut[k] = response.forward(u * u);
  }
  lut[LUT_SIZE + 1] = lut[LUT_SIZE];
  return lut;
}

/**
 * Renders one 8-bit camera frame from scene-linear pixels.
 * @param linear - interleaved linear RGB (≥ 0), the exposure at EV 0 (1 = saturation)
 * @param exposure - linear exposure factor of this frame (2^EV), > 0
 * @param lut - from {@link forwardLut}
 * @param noise - sensor noise, or null for none
 * @param rng - noise source (unused without noise)
 * @returns encoded values code/255, codes 0…255 (round to nearest)
 */
export function exposeFrame(
  linear: Float32Array,
  exposure: number,
  lut: Float32Array,
  noise: NoiseParams | null,
  rng: Rng,
): Float32Array {
  const n = linear.length;
  const out = new Float32Array(n);
  let spare = 0;
  let hasSpare = false;
  for (let i = 0; i < n; i++) {
    let x = linear[i] * exposure;
    if (noise) {
      let g: number;
      if (hasSpare) {
        g = spare;
        hasSpare = false;
      } else {
        const u = 1 - rng();
        const v = 2 * Math.PI * rng();
        const r = Math.sqrt(-2 * Math.log(u));
        g = r * Math.cos(v);
        spare = r * Math.sin(v);
        hasSpare = true;
      }
      x += Math.sqrt(noise.shot * (x < 1 ? x : 1) + noise.read) * g;
    }
    let f: number;
    if (!(x > 0)) f = lut[0];
    else if (x >= 1) f = lut[LUT_SIZE];
    else {
      const t = Math.sqrt(x) * LUT_SIZE;
      const k = t | 0;
      const w = t - k;
      f = lut[k] + w * (lut[k + 1] - lut[k]);
    }
    const code = Math.round(f * 255);
    out[i] = (code < 0 ? 0 : code > 255 ? 255 : code) / 255;
  }
  return out;
}

/**
 * JPEG round trip in memory: encodes the 8-bit frame at `quality` with sharp (4:4:4 chroma at
 * quality ≥ 90, else 4:2:0, as cameras do) and decodes it back.
 * @param frame - interleaved RGB in [0, 1] (8-bit values)
 * @param quality - 1…100
 * @returns the decoded frame, values code/255
 */
export async function jpegRoundTrip(
  frame: Float32Array,
  width: number,
  height: number,
  quality: number,
): Promise<Float32Array> {
  const bytes = await encodeLdr(createLdr(width, height, 3, frame, 8), 'jpeg', {
    quality: Math.round(quality),
  });
  const img = await decodeWithSharp('jpeg-round-trip', bytes);
  return img.data;
}

/**
 * Linear value of the `p` quantile (0…1) of Rec.709 luminance of interleaved RGB pixels.
 * @returns the quantile, ≥ 0 (0 for an all-black crop)
 */
export function luminanceQuantile(linear: Float32Array, p: number): number {
  const n = linear.length / 3;
  const lum = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    lum[i] = 0.2126 * linear[3 * i] + 0.7152 * linear[3 * i + 1] + 0.0722 * linear[3 * i + 2];
  }
  lum.sort();
  const k = Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))));
  return lum[k];
}
