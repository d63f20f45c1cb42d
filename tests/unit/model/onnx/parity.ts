/**
 * Shared helpers of the ONNX parity tests: randomised parameters (every weight, batch-norm
 * scale/shift and running statistic away from its initial value, as after training), test
 * images, and the tfjs-vs-ONNX Runtime comparison.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { gaussian, mulberry32, uniform } from '../../../../src/core/camera/rng.js';
import type { MultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import type { OrtTileModel } from '../../../../src/core/model/onnx/index.js';

/** Sets every parameter to random values: BN variances in [0.3, 3], means/shifts ~N(0, 0.3²). */
export function randomiseParams(model: MultiExposureModel, seed: number): void {
  const rng = mulberry32(seed);
  for (const e of model.params.list()) {
    const v = e.variable;
    const data = new Float32Array(v.size);
    const name = e.name;
    for (let i = 0; i < data.length; i++) {
      if (name.endsWith('.var')) data[i] = uniform(rng, 0.3, 3);
      else if (name.endsWith('.gamma')) data[i] = uniform(rng, 0.5, 1.5);
      else if (name.endsWith('.w')) {
        const fanIn = v.shape.length === 4 ? v.shape[0] * v.shape[1] * v.shape[2] : 1;
        data[i] = gaussian(rng) * Math.sqrt(2 / fanIn);
      } else data[i] = 0.3 * gaussian(rng);
    }
    const t = tf.tensor(data, v.shape);
    v.assign(t);
    t.dispose();
  }
}

/** Uniform random NHWC batch in [−0.1, 1.1] (so the graphs' clipping is exercised). */
export function randomImage(seed: number, n: number, h: number, w: number): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(n * h * w * 3);
  for (let i = 0; i < out.length; i++) out[i] = uniform(rng, -0.1, 1.1);
  return out;
}

/** Path of a real photo in the shared data (Debevec's memorial bracket), or null if absent. */
export function sharedPhoto(file = 'memorial0068.png'): string | null {
  const p = new URL(`../../../../../shared/data/brackets/memorial/${file}`, import.meta.url)
    .pathname;
  return existsSync(p) ? p : null;
}

/** An h×w crop of an 8-bit photo at (left, top) as NHWC floats in [0, 1]. */
export async function photoCrop(
  path: string,
  left: number,
  top: number,
  w: number,
  h: number,
): Promise<Float32Array> {
  const { data } = await sharp(path)
    .removeAlpha()
    .extract({ left, top, width: w, height: h })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = new Float32Array(w * h * 3);
  for (let i = 0; i < out.length; i++) out[i] = data[i] / 255;
  return out;
}

/** Largest |a − b|. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Max abs differences tfjs vs ORT for encode and for render at each EV. */
export async function compare(
  model: MultiExposureModel,
  ort: OrtTileModel,
  x: Float32Array,
  n: number,
  h: number,
  w: number,
  evs: readonly number[],
): Promise<{ encode: number; render: number[] }> {
  const xt = tf.tensor4d(x, [n, h, w, 3]);
  const latT = model.encode(xt);
  const latTf = (await latT.data()) as Float32Array;
  // an engine on worker threads takes over the buffers it is given
  const own = (a: Float32Array): Float32Array => (ort.takesInputs ? a.slice() : a);
  const latOrt = await ort.encode(own(x), n, h, w);
  const render: number[] = [];
  for (const ev of evs) {
    // both render from the same (tfjs) latent so that the render graph is tested on its own
    const yt = model.render(latT, ev, model.needsInput ? xt : undefined);
    const yTf = (await yt.data()) as Float32Array;
    yt.dispose();
    render.push(maxAbsDiff(yTf, await ort.render(own(latTf), ev, own(x), n, h, w)));
  }
  xt.dispose();
  latT.dispose();
  return { encode: maxAbsDiff(latTf, latOrt), render };
}
