import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../src/core/errors.js';
import { TINY_CONFIG } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import {
  createMultiExposureModel,
  type MultiExposureModel,
} from '../../../../src/core/model/architectures/multi-exposure/model.js';
import { saveWeights, WeightsIntegrityError } from '../../../../src/core/model/nn/weights-io.js';
import {
  fileSha256,
  loadModel,
  type LoadedModel,
  type ModelDescriptor,
} from '../../../../src/core/model/store/load-model.js';
import { DEFAULT_MODEL_ID, modelsDirectory } from '../../../../src/core/model/store/locate.js';

const REPO = path.resolve(import.meta.dirname, '../../../..');
const SEED = 5; // loadModel builds its model with seed 1: different initial weights
const savedEnv = process.env.BRACKETEER_MODELS_DIR;

let dir = '';
let modelsDir = '';
let source: MultiExposureModel;
let sha = '';
const loaded: LoadedModel[] = [];

async function load(ref: string): Promise<LoadedModel> {
  const l = await loadModel(ref);
  loaded.push(l);
  return l;
}

/** Every parameter of `b` has the name, shape and exact values of `a`'s. */
function expectSameWeights(a: MultiExposureModel, b: MultiExposureModel): void {
  const la = a.params.list();
  const lb = b.params.list();
  expect(lb.map((e) => e.name)).toEqual(la.map((e) => e.name));
  for (let i = 0; i < la.length; i++) {
    expect(lb[i].variable.shape, la[i].name).toEqual(la[i].variable.shape);
    const da = la[i].variable.dataSync();
    const db = lb[i].variable.dataSync();
    expect(db.length).toBe(da.length);
    for (let k = 0; k < da.length; k++) {
      if (!Object.is(da[k], db[k])) expect.fail(`${la[i].name}[${k}]: ${db[k]} ≠ ${da[k]}`);
    }
  }
}

/** Writes `<modelsDir>/<id>/` with weights.{json,bin} and the descriptor model.json. */
async function install(id: string, descriptor: Partial<ModelDescriptor> = {}): Promise<string> {
  const folder = path.join(modelsDir, id);
  await mkdir(folder, { recursive: true });
  const manifest = await saveWeights(path.join(folder, 'weights'), source.params, {
    config: TINY_CONFIG,
  });
  expect(manifest.sha256).toBe(sha);
  const d: ModelDescriptor = {
    id,
    architecture: 'multi-exposure',
    config: 'tiny',
    weights: 'weights.json',
    sha256: sha,
    ...descriptor,
  };
  await writeFile(path.join(folder, 'model.json'), JSON.stringify(d));
  return folder;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-load-model-'));
  modelsDir = path.join(dir, 'models');
  source = createMultiExposureModel(TINY_CONFIG, SEED);
  await mkdir(path.join(dir, 'run'));
  const manifest = await saveWeights(path.join(dir, 'run', 'best'), source.params, {
    config: TINY_CONFIG,
    steps: 12,
  });
  sha = manifest.sha256;
  process.env.BRACKETEER_MODELS_DIR = modelsDir;
});

afterAll(async () => {
  if (savedEnv === undefined) delete process.env.BRACKETEER_MODELS_DIR;
  else process.env.BRACKETEER_MODELS_DIR = savedEnv;
  for (const l of loaded) l.model.dispose();
  source?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('loadModel from a weights manifest path', () => {
  it('gives a model with exactly the saved weights', async () => {
    const file = path.join(dir, 'run', 'best.json');
    const l = await load(file);
    expect(l.model.config.name).toBe('tiny');
    expect(l.id).toBe(file);
    expect(l.manifestPath).toBe(file);
    expect(l.sha256).toBe(await fileSha256(path.join(dir, 'run', 'best.bin')));
    expect(l.meta.steps).toBe(12);
    // the fresh seed-1 model differs from the saved one, so equality proves the weights loaded
    const fresh = createMultiExposureModel(TINY_CONFIG, 1);
    try {
      expect(() => expectSameWeights(source, fresh)).toThrow();
    } finally {
      fresh.dispose();
    }
    expectSameWeights(source, l.model);
  });

  it('accepts a relative path and a config given by name', async () => {
    const run2 = path.join(dir, 'run2');
    await mkdir(run2);
    await saveWeights(path.join(run2, 'w'), source.params, { config: 'tiny' });
    const rel = path.relative(process.cwd(), path.join(run2, 'w.json'));
    const l = await load(rel);
    expect(l.manifestPath).toBe(path.join(run2, 'w.json'));
    expectSameWeights(source, l.model);
  });

  it('rejects a manifest naming no known config', async () => {
    const run3 = path.join(dir, 'run3');
    await mkdir(run3);
    await saveWeights(path.join(run3, 'w'), source.params, { config: { name: 'huge' } });
    await expect(loadModel(path.join(run3, 'w.json'))).rejects.toThrow(
      /w\.json: the manifest names no known model config \(got huge\)/,
    );
    await expect(loadModel(path.join(run3, 'missing.json'))).rejects.toThrow(InvalidInputError);
  });
});

describe('loadModel from a models folder', () => {
  it('loads an installed id and verifies its hash', async () => {
    const folder = await install('tiny-good');
    const l = await load('tiny-good');
    expect(l.id).toBe('tiny-good');
    expect(l.sha256).toBe(sha);
    expect(l.manifestPath).toBe(path.join(folder, 'weights.json'));
    expectSameWeights(source, l.model);
  });

  it('rejects a descriptor whose sha256 differs from the weights', async () => {
    await install('tiny-badsha', { sha256: '0'.repeat(64) });
    const err = await loadModel('tiny-badsha').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightsIntegrityError);
    expect((err as Error).message).toContain(path.join(modelsDir, 'tiny-badsha', 'weights.json'));
    expect((err as Error).message).toContain('0'.repeat(64));
  });

  it('rejects a weights binary with one flipped byte, naming the file', async () => {
    const folder = await install('tiny-flipped');
    const bin = path.join(folder, 'weights.bin');
    const bytes = await readFile(bin);
    bytes[bytes.length >> 1] ^= 0x10;
    await writeFile(bin, bytes);
    const err = await loadModel('tiny-flipped').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightsIntegrityError);
    expect((err as WeightsIntegrityError).file).toBe(bin);
    expect((err as Error).message).toContain(bin);
    expect((err as Error).message).toMatch(/sha256 mismatch/);
  });

  it('rejects an unknown architecture', async () => {
    await install('tiny-arch', { architecture: 'other' as 'multi-exposure' });
    await expect(loadModel('tiny-arch')).rejects.toThrow(/unknown architecture other/);
  });

  it('says an unknown id is not installed', async () => {
    const err = await loadModel('no-such-model').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/model "no-such-model" is not installed/);
    expect((err as Error).message).toContain(path.join(modelsDir, 'no-such-model', 'model.json'));
  });

  it('refuses ids that are paths', async () => {
    for (const ref of ['tiny-good/weights', '../models/tiny-good', '/abs/x', '']) {
      const err = await loadModel(ref).catch((e: unknown) => e);
      expect(err, ref).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message, ref).toMatch(/not a model id/);
    }
  });
});

describe('modelsDirectory', () => {
  it('follows BRACKETEER_MODELS_DIR, resolved to an absolute path', () => {
    expect(modelsDirectory()).toBe(modelsDir);
    process.env.BRACKETEER_MODELS_DIR = 'some/rel';
    try {
      expect(modelsDirectory()).toBe(path.resolve('some/rel'));
    } finally {
      process.env.BRACKETEER_MODELS_DIR = modelsDir;
    }
  });

  it("finds the source tree's resources/models without the variable", () => {
    delete process.env.BRACKETEER_MODELS_DIR;
    try {
      expect(modelsDirectory()).toBe(path.join(REPO, 'resources', 'models'));
    } finally {
      process.env.BRACKETEER_MODELS_DIR = modelsDir;
    }
    expect(DEFAULT_MODEL_ID).toBe('multi-exposure-lite');
  });
});
