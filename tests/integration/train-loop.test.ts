/**
 * The training loop end to end on generated HDR panoramas (no shared data): the loss falls,
 * checkpoints/logs/best weights are written, no tensors leak, an interrupted and resumed run
 * ends bit-identical to an uninterrupted one, and misuse is refused with a clear error.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, uniform } from '../../src/core/camera/rng.js';
import { createHdr, type HdrImage } from '../../src/core/image/image.js';
import { encodeRadiance } from '../../src/core/io/index.js';
import '../../src/core/model/nn/gradients.js';
import { registerMissingGradients } from '../../src/core/model/runtime/gradients.js';
import {
  readCheckpointState,
  trainModel,
  type TrainEvent,
  type TrainSettings,
} from '../../src/core/model/train/index.js';

/**
 * A random HDR panorama (2:1): log-luminance from a few random cosines (≈ 10 stops), a random
 * tint per wave and a small bright sun — different seeds give unrelated scenes.
 */
function randomPanorama(width: number, seed: number): HdrImage {
  const rng = mulberry32(seed);
  const height = width / 2;
  const waves = Array.from({ length: 5 }, () => ({
    fx: uniform(rng, -12, 12),
    fy: uniform(rng, -8, 8),
    ph: uniform(rng, 0, 2 * Math.PI),
    amp: uniform(rng, 0.3, 1.2),
    tint: [uniform(rng, 0.6, 1.4), uniform(rng, 0.6, 1.4), uniform(rng, 0.6, 1.4)],
  }));
  const sx = uniform(rng, 0, 1);
  const sy = uniform(rng, 0.1, 0.5);
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const sun = 300 * Math.exp(-((u - sx) ** 2 + (v - sy) ** 2) / 0.0005);
      for (let c = 0; c < 3; c++) {
        let l = 0;
        for (const w of waves)
          l += w.amp * w.tint[c] * Math.cos(w.fx * u * 6.28 + w.fy * v * 6.28 + w.ph);
        data[3 * (y * width + x) + c] = 2 ** (1.5 * l) + sun;
      }
    }
  }
  return createHdr(width, height, 3, data);
}

let root = '';
let hdrDir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerMissingGradients();
  root = await mkdtemp(path.join(tmpdir(), 'bracketeer-train-'));
  hdrDir = path.join(root, 'hdr');
  await mkdir(hdrDir);
  for (let k = 0; k < 6; k++) {
    await writeFile(
      path.join(hdrDir, `scene${k}.hdr`),
      encodeRadiance(randomPanorama(128, 100 + k)),
    );
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const tiny: Partial<TrainSettings> = {
  config: 'tiny',
  batchSize: 2,
  cropSize: 32,
  learningRate: 3e-3,
  warmupSteps: 2,
  minLrFraction: 0.5,
  validationSize: 32,
  validationPerImage: 2,
  logEvery: 1,
};

describe('trainModel', () => {
  it('lowers the loss, writes checkpoints, log and best weights, and leaks no tensors', async () => {
    const runDir = path.join(root, 'smoke');
    const losses: number[] = [];
    const result = await trainModel({
      hdrDir,
      runDir,
      settings: { ...tiny, steps: 40, checkpointEvery: 25, validateEvery: 20 },
      onEvent: (e: TrainEvent) => {
        if (e.type === 'step') losses.push(e.result.total);
      },
    });
    expect(result.stoppedBy).toBe('done');
    expect(result.step).toBe(40);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const first = mean(losses.slice(0, 10));
    const last = mean(losses.slice(-10));
    expect(last).toBeLessThan(0.9 * first);

    const state = await readCheckpointState(runDir);
    expect(state?.step).toBe(40);
    expect(state?.folder).toBe(path.join('checkpoints', 'step-000040'));
    expect(state?.best).not.toBeNull();
    const best = JSON.parse(await readFile(path.join(runDir, 'best', 'model.json'), 'utf8'));
    expect(best.meta.validation.meanPsnr).toBeGreaterThan(5);

    const log = (await readFile(path.join(runDir, 'train-log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(log[0].type).toBe('start');
    const steps = log.filter((r) => r.type === 'step');
    expect(steps).toHaveLength(40);
    // tensors alive after step 5 and after step 40: weights + optimizer slots only
    expect(steps[39].numTensors).toBe(steps[4].numTensors);
    const validations = log.filter((r) => r.type === 'validation');
    expect(validations.map((v) => v.step)).toEqual([0, 20, 40]);
    // held-out PSNR after training beats the untrained network's
    expect(validations[2].meanPsnr as number).toBeGreaterThan(
      (validations[0].meanPsnr as number) + 1,
    );
    expect(Object.keys(validations[0].perOffset as object).sort()).toEqual(
      ['-1', '-2', '-3', '1', '2', '3'].sort(),
    );
    expect(log.at(-1)?.type).toBe('stop');
  }, 420_000);

  it('resumes after a cancel exactly where an uninterrupted run would be', async () => {
    const settings = { ...tiny, steps: 12, checkpointEvery: 4, validateEvery: 0 };
    const straight = path.join(root, 'straight');
    await trainModel({ hdrDir, runDir: straight, settings });

    const broken = path.join(root, 'broken');
    const controller = new AbortController();
    const first = await trainModel({
      hdrDir,
      runDir: broken,
      settings,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 7) controller.abort();
      },
    });
    expect(first.stoppedBy).toBe('cancelled');
    expect(first.step).toBe(7);
    expect((await readCheckpointState(broken))?.step).toBe(7);

    await expect(trainModel({ hdrDir, runDir: broken, settings })).rejects.toThrow(
      /already holds a training run \(step 7\); pass --resume/,
    );
    await expect(
      trainModel({ hdrDir, runDir: broken, settings: { ...settings, batchSize: 3 }, resume: true }),
    ).rejects.toThrow(/cannot change batchSize when resuming/);

    const second = await trainModel({ hdrDir, runDir: broken, settings, resume: true });
    expect(second.step).toBe(12);
    const a = await readFile(path.join(straight, 'checkpoints', 'step-000012', 'model.bin'));
    const b = await readFile(path.join(broken, 'checkpoints', 'step-000012', 'model.bin'));
    expect(b.equals(a)).toBe(true);
    const oa = await readFile(path.join(straight, 'checkpoints', 'step-000012', 'optimizer.bin'));
    const ob = await readFile(path.join(broken, 'checkpoints', 'step-000012', 'optimizer.bin'));
    expect(ob.equals(oa)).toBe(true);
  }, 420_000);

  it('names the problem for a folder without HDR images', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await expect(
      trainModel({ hdrDir: empty, runDir: path.join(root, 'r'), settings: { ...tiny, steps: 1 } }),
    ).rejects.toThrow(/empty: no \.hdr\/\.exr files found/);
  });
});
