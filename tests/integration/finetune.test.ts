/**
 * Fine-tuning end to end on a generated stack (a smooth scene through a known camera curve,
 * 8-bit PNGs + shutter_times.txt) and a tiny base model in a temporary models directory: the
 * held-out PSNR improves, the new folder loads like a shipped model with a verified SHA-256,
 * the validation numbers equal `eval --right-half`'s, cancelling leaves no folder and the base
 * untouched, early stopping on a plateau keeps the base weights, and a paused job resumes to
 * the same weights as an uninterrupted one.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateStack } from '../../src/core/model/eval/evaluate.js';
import { loadRealStack } from '../../src/core/model/eval/real-stack.js';
import { rightHalf } from '../../src/core/model/eval/region.js';
import { realEvalStack } from '../../src/core/model/eval/stacks.js';
import {
  finetuneModel,
  modelPredictor,
  type FinetuneEvent,
  type FinetuneSettings,
} from '../../src/core/model/finetune/index.js';
import '../../src/core/model/nn/gradients.js';
import { registerMissingGradients } from '../../src/core/model/runtime/gradients.js';
import { fileSha256, loadModel } from '../../src/core/model/store/load-model.js';
import { writeSyntheticStack, writeTinyModel } from '../unit/model/finetune/fixtures.js';

const savedEnv = process.env.BRACKETEER_MODELS_DIR;
let root = '';
let modelsDir = '';
let stackDir = '';
let baseSha = '';

const quick: Partial<FinetuneSettings> = {
  cropSize: 16,
  batchSize: 2,
  learningRate: 3e-3,
  warmupSteps: 2,
  minLrFraction: 0.5,
};

async function folderHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of (await readdir(dir)).sort()) out[n] = await fileSha256(path.join(dir, n));
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerMissingGradients();
  root = await mkdtemp(path.join(tmpdir(), 'bracketeer-finetune-'));
  modelsDir = path.join(root, 'models');
  process.env.BRACKETEER_MODELS_DIR = modelsDir;
  baseSha = await writeTinyModel(modelsDir, 'tiny-base');
  stackDir = path.join(root, 'stack');
  await writeSyntheticStack(stackDir, 64, 48, 11);
});

afterAll(async () => {
  if (savedEnv === undefined) delete process.env.BRACKETEER_MODELS_DIR;
  else process.env.BRACKETEER_MODELS_DIR = savedEnv;
  await rm(root, { recursive: true, force: true });
});

describe('finetuneModel', () => {
  it('improves the held-out PSNR and saves a verified model folder', async () => {
    const before = await folderHashes(path.join(modelsDir, 'tiny-base'));
    const events: FinetuneEvent[] = [];
    const result = await finetuneModel({
      inputs: [stackDir],
      from: 'tiny-base',
      id: 'tuned',
      settings: { ...quick, steps: 30, validateEvery: 10, patience: 5 },
      onEvent: (e) => events.push(e),
    });
    expect(result.stoppedBy).toBe('done');
    expect(result.step).toBe(30);
    expect(result.cropSize).toBe(16);
    expect(result.bestStep).toBeGreaterThan(0);
    expect(result.after.meanPsnr).toBeGreaterThan(result.before.meanPsnr + 1);
    expect(Object.keys(result.before.perOffset).sort()).toEqual(['-1', '-2', '1', '2']);
    const validations = events.filter((e) => e.type === 'validation').map((e) => e.step);
    expect(validations).toEqual([0, 10, 20, 30]);
    const stack = events.find((e) => e.type === 'stack');
    expect(stack?.type === 'stack' && stack.stack.shifts).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(stack?.type === 'stack' && stack.stack.ghostFraction).toBe(0);

    // the folder: loads by id, SHA-256 verified, descriptor and card
    const dir = path.join(modelsDir, 'tuned');
    expect(result.model?.dir).toBe(dir);
    if (process.platform !== 'win32') expect((await stat(dir)).mode & 0o777).toBe(0o755);
    const descriptor = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(descriptor).toMatchObject({
      id: 'tuned',
      architecture: 'multi-exposure',
      config: 'tiny',
      kind: 'fine-tune',
      baseModel: 'tiny-base',
      baseSha256: baseSha,
    });
    expect(await fileSha256(path.join(dir, 'weights.bin'))).toBe(descriptor.sha256);
    // the ONNX graphs of the saved weights travel with them, each with its SHA-256
    for (const key of ['encode', 'renderUp', 'renderDown']) {
      const rec = descriptor.onnx[key] as { file: string; sha256: string };
      expect(await fileSha256(path.join(dir, rec.file))).toBe(rec.sha256);
    }
    const loaded = await loadModel('tuned');
    const baseModel = await loadModel('tiny-base');
    try {
      // batch-norm running statistics are kept from the base model (freezeBatchNorm default)
      const baseStats = baseModel.model.params.list().filter((e) => !e.trainable);
      const tunedStats = loaded.model.params.list().filter((e) => !e.trainable);
      expect(tunedStats.length).toBeGreaterThan(0);
      tunedStats.forEach((e, k) => {
        expect(Array.from(e.variable.dataSync())).toEqual(
          Array.from(baseStats[k].variable.dataSync()),
        );
      });
      // ... while the trainable weights moved
      const w0 = baseModel.model.params.trainableVariables()[0].dataSync();
      const w1 = loaded.model.params.trainableVariables()[0].dataSync();
      expect(Array.from(w1)).not.toEqual(Array.from(w0));
      expect(loaded.sha256).toBe(descriptor.sha256);
      expect(loaded.meta.step).toBe(result.bestStep);
      // the same measurement as `bracketeer eval --stack DIR --right-half --model tuned`
      const real = realEvalStack(await loadRealStack(stackDir));
      const evaluated = await evaluateStack(
        real,
        { model: modelPredictor(loaded.model) },
        { region: rightHalf(64, 48), hdr: false },
      );
      for (const row of evaluated.rows) {
        if (!row.scores) continue;
        expect(row.scores.model.psnr).toBeCloseTo(result.after.perOffset[String(row.offset)], 4);
      }
    } finally {
      loaded.model.dispose();
      baseModel.model.dispose();
    }
    const card = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(card).toContain('| offset (EV) | base model | fine-tuned | Δ | profile | naive |');
    expect(card).toContain(
      `| mean | ${result.before.meanPsnr.toFixed(2)} | ${result.after.meanPsnr.toFixed(2)} |`,
    );
    expect(card).toContain(stackDir);
    const profile = JSON.parse(await readFile(path.join(dir, 'camera-response.json'), 'utf8'));
    expect(profile.inverse).toHaveLength(3);
    expect(profile.inverse[0][128]).toBeCloseTo(1, 3);
    expect(descriptor.cameraProfile.residual).toBe(profile.residual);

    // the base model is untouched and nothing else was left behind
    expect(await folderHashes(path.join(modelsDir, 'tiny-base'))).toEqual(before);
    expect((await readdir(modelsDir)).sort()).toEqual(['tiny-base', 'tuned']);
  }, 120_000);

  it('writes nothing when cancelled and leaves the base model as it was', async () => {
    const before = await folderHashes(path.join(modelsDir, 'tiny-base'));
    const listing = (await readdir(modelsDir)).sort();
    const controller = new AbortController();
    const result = await finetuneModel({
      inputs: [stackDir],
      from: 'tiny-base',
      id: 'cancelled',
      settings: { ...quick, steps: 50, validateEvery: 10 },
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 3) controller.abort();
      },
    });
    expect(result.stoppedBy).toBe('cancelled');
    expect(result.step).toBe(3);
    expect(result.model).toBeNull();
    expect((await readdir(modelsDir)).sort()).toEqual(listing);
    expect(await folderHashes(path.join(modelsDir, 'tiny-base'))).toEqual(before);
  }, 60_000);

  it('stops early on a validation plateau and keeps the best (base) weights', async () => {
    // No gain can reach 1000 dB: every validation after step 0 is a plateau.
    const result = await finetuneModel({
      inputs: [stackDir],
      from: 'tiny-base',
      id: 'plateau',
      settings: { ...quick, steps: 40, validateEvery: 4, patience: 1, minImprovementDb: 1000 },
    });
    expect(result.stoppedBy).toBe('early-stop');
    expect(result.step).toBe(4);
    expect(result.bestStep).toBe(0);
    expect(result.after).toEqual(result.before);
    expect(await fileSha256(path.join(modelsDir, 'plateau', 'weights.bin'))).toBe(baseSha);
  }, 60_000);

  it('resumes a paused job to the weights of an uninterrupted one', async () => {
    const settings = { ...quick, steps: 8, validateEvery: 4, checkpointEvery: 2, patience: 5 };
    await finetuneModel({
      inputs: [stackDir],
      from: 'tiny-base',
      id: 'straight',
      runDir: path.join(root, 'run-straight'),
      settings,
    });
    const runDir = path.join(root, 'run-paused');
    const controller = new AbortController();
    const first = await finetuneModel({
      inputs: [stackDir],
      from: 'tiny-base',
      id: 'paused',
      runDir,
      settings,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 5) controller.abort();
      },
    });
    expect(first.stoppedBy).toBe('cancelled');
    expect(first.runDir).toBe(runDir);
    await expect(
      finetuneModel({ inputs: [stackDir], from: 'tiny-base', id: 'paused', runDir, settings }),
    ).rejects.toThrow(/already holds a fine-tuning job \(step 5\)/);
    const second = await finetuneModel({
      inputs: [stackDir],
      id: 'paused',
      runDir,
      resume: true,
      settings,
    });
    expect(second.stoppedBy).toBe('done');
    expect(second.step).toBe(8);
    expect(second.bestStep).toBe((await readStraight()).bestStep);
    // tfjs rebuilds Adam's β^t accumulators with pow() on import (the straight run multiplies
    // them step by step), so the resumed weights agree to float32 rounding, not bit for bit
    const a = await weights('straight');
    const b = await weights('paused');
    expect(b.length).toBe(a.length);
    let worst = 0;
    for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
    expect(worst).toBeLessThan(1e-4);
    const base = await weights('tiny-base');
    let moved = 0;
    for (let k = 0; k < a.length; k++) moved = Math.max(moved, Math.abs(a[k] - base[k]));
    expect(moved).toBeGreaterThan(100 * worst);
  }, 120_000);
});

async function weights(id: string): Promise<Float32Array> {
  const bytes = await readFile(path.join(modelsDir, id, 'weights.bin'));
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}

async function readStraight(): Promise<{ bestStep: number }> {
  const d = JSON.parse(await readFile(path.join(modelsDir, 'straight', 'model.json'), 'utf8'));
  return { bestStep: d.finetune.bestStep };
}
