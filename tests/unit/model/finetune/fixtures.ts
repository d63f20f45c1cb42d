/**
 * Synthetic fine-tuning data: a smooth random scene rendered at several exposures through a
 * known camera curve, written as 8-bit PNGs with a shutter_times.txt; and a tiny base model
 * folder (as shipped models are laid out) in a models directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { mulberry32, uniform } from '../../../../src/core/camera/rng.js';
import { TINY_CONFIG } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import { saveWeights } from '../../../../src/core/model/nn/weights-io.js';

/** The known camera: a film-like shoulder then a 1/1.8 gamma, f(E) in [0, 1] for E ≥ 0. */
export function cameraCurve(e: number): number {
  const s = (1 - Math.exp(-2.5 * e)) / (1 - Math.exp(-2.5));
  return Math.min(1, Math.max(0, s)) ** (1 / 1.8);
}

/** Scene radiance (linear, per channel): a few random cosines in log space (≈ 6 stops). */
export function sceneRadiance(width: number, height: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const waves = Array.from({ length: 4 }, () => ({
    fx: uniform(rng, -3, 3),
    fy: uniform(rng, -3, 3),
    ph: uniform(rng, 0, 2 * Math.PI),
    amp: uniform(rng, 0.4, 1),
    tint: [uniform(rng, 0.7, 1.3), uniform(rng, 0.7, 1.3), uniform(rng, 0.7, 1.3)],
  }));
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let l = 0;
        for (const w of waves) {
          l += w.amp * w.tint[c] * Math.cos((w.fx * x) / 16 + (w.fy * y) / 16 + w.ph);
        }
        out[3 * (y * width + x) + c] = 0.25 * 2 ** (1.2 * l);
      }
    }
  }
  return out;
}

/** Exposure stops of the synthetic stack (reference = 0, the median). */
export const STOPS = [-2, -1, 0, 1, 2];

/**
 * Writes frames f0…f4.png (exposure 2^stop, through {@link cameraCurve}, 8-bit) and
 * shutter_times.txt into `dir`.
 * @returns the exposure times in seconds
 */
export async function writeSyntheticStack(
  dir: string,
  width: number,
  height: number,
  seed: number,
): Promise<number[]> {
  await mkdir(dir, { recursive: true });
  const radiance = sceneRadiance(width, height, seed);
  const times = STOPS.map((s) => 2 ** s / 8);
  for (const [i, t] of times.entries()) {
    const px = Buffer.alloc(width * height * 3);
    for (let k = 0; k < px.length; k++) px[k] = Math.round(255 * cameraCurve(radiance[k] * t * 8));
    await sharp(px, { raw: { width, height, channels: 3 } })
      .png()
      .toFile(path.join(dir, `f${i}.png`));
  }
  await writeFile(
    path.join(dir, 'shutter_times.txt'),
    `${times.map((t) => `1/${Math.round(1 / t)}`).join('\n')}\n`,
  );
  return times;
}

/**
 * Writes a tiny multi-exposure model as `<modelsDir>/<id>/` (weights.bin, weights.json,
 * model.json with the weights' SHA-256), like a shipped model.
 * @returns the weights' SHA-256
 */
export async function writeTinyModel(modelsDir: string, id: string, seed = 3): Promise<string> {
  const dir = path.join(modelsDir, id);
  await mkdir(dir, { recursive: true });
  const model = createMultiExposureModel(TINY_CONFIG, seed);
  try {
    const manifest = await saveWeights(path.join(dir, 'weights'), model.params, {
      config: TINY_CONFIG,
    });
    await writeFile(
      path.join(dir, 'model.json'),
      JSON.stringify({
        id,
        architecture: 'multi-exposure',
        config: 'tiny',
        weights: 'weights.json',
        sha256: manifest.sha256,
      }),
    );
    return manifest.sha256;
  } finally {
    model.dispose();
  }
}
