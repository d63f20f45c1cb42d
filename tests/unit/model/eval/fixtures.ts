/** Synthetic brackets with a known camera for the evaluation tests (no shared data needed). */
import { STACK_EVS } from '../../../../src/core/model/data/synth-stack.js';

/** Decoding exponent of the test camera: Z = x^(1/2.6), far from sRGB. */
export const CAMERA_GAMMA = 2.6;

/**
 * A smooth radiance field in [0.03, 0.85] (relative exposure at EV 0, 1 = saturation): a
 * diagonal ramp in log exposure (≈ 4.8 stops) with gentle sinusoidal texture, the channels
 * differing slightly. Never clipped at EV 0 under the test camera.
 * @param phase - changes the texture (a different scene)
 */
export function radianceField(width: number, height: number, phase = 0): Float32Array {
  const out = new Float32Array(width * height * 3);
  const lo = Math.log2(0.03);
  const hi = Math.log2(0.85);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / (width - 1);
      const v = y / (height - 1);
      const t = 0.5 * (u + v) + 0.04 * Math.sin(2 * Math.PI * (3 * u + phase)) * Math.cos(5 * v);
      const base = lo + (hi - lo) * Math.min(1, Math.max(0, t));
      const i = 3 * (y * width + x);
      out[i] = 2 ** base;
      out[i + 1] = 2 ** (base - 0.1);
      out[i + 2] = 2 ** (base - 0.25);
    }
  }
  return out;
}

/**
 * One 8-bit frame of the test camera: code = round(255·min(1, x·2^ev)^(1/γ)), as code/255.
 * @param gamma - decoding exponent (γ = 2.6 by default)
 */
export function cameraFrame(linear: Float32Array, ev: number, gamma = CAMERA_GAMMA): Float32Array {
  const out = new Float32Array(linear.length);
  const gain = 2 ** ev;
  for (let i = 0; i < linear.length; i++) {
    const x = Math.min(1, Math.max(0, linear[i] * gain));
    out[i] = Math.round(255 * x ** (1 / gamma)) / 255;
  }
  return out;
}

/** A synthetic stack (SynthStack's fields) from {@link radianceField} and {@link cameraFrame}. */
export function gammaStack(
  width: number,
  height: number,
  phase = 0,
  gamma = CAMERA_GAMMA,
): {
  width: number;
  height: number;
  evs: number[];
  frames: Float32Array[];
  linear: Float32Array;
  source: string;
} {
  const linear = radianceField(width, height, phase);
  const evs = [...STACK_EVS];
  return {
    width,
    height,
    evs,
    frames: evs.map((ev) => cameraFrame(linear, ev, gamma)),
    linear,
    source: `gamma${gamma}-phase${phase}`,
  };
}
