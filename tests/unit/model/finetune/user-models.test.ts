import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userModelsDirectory } from '../../../../src/core/model/store/locate.js';
import { loadModel } from '../../../../src/core/model/store/load-model.js';
import { writeTinyModel } from './fixtures.js';

describe('userModelsDirectory', () => {
  it('follows the overrides, then the platform user-data folder', () => {
    expect(
      userModelsDirectory({ BRACKETEER_USER_MODELS_DIR: '/u', BRACKETEER_MODELS_DIR: '/m' }),
    ).toBe(path.resolve('/u'));
    expect(userModelsDirectory({ BRACKETEER_MODELS_DIR: '/m' })).toBe(path.resolve('/m'));
    expect(userModelsDirectory({}, 'linux', '/home/a')).toBe(
      '/home/a/.local/share/bracketeer/models',
    );
    expect(userModelsDirectory({ XDG_DATA_HOME: '/x' }, 'linux', '/home/a')).toBe(
      '/x/bracketeer/models',
    );
    expect(userModelsDirectory({}, 'darwin', '/Users/a')).toBe(
      '/Users/a/Library/Application Support/Bracketeer/models',
    );
    expect(
      userModelsDirectory({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a'),
    ).toBe('C:\\Users\\a\\AppData\\Roaming\\Bracketeer\\models');
  });
});

describe('loadModel with a user models folder', () => {
  const saved = {
    shipped: process.env.BRACKETEER_MODELS_DIR,
    user: process.env.BRACKETEER_USER_MODELS_DIR,
  };
  let root = '';
  let userSha = '';
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await mkdtemp(path.join(tmpdir(), 'bracketeer-user-models-'));
    process.env.BRACKETEER_MODELS_DIR = path.join(root, 'shipped');
    process.env.BRACKETEER_USER_MODELS_DIR = path.join(root, 'user');
    await writeTinyModel(path.join(root, 'shipped'), 'base', 1);
    userSha = await writeTinyModel(path.join(root, 'user'), 'mine', 2);
  });
  afterAll(async () => {
    for (const [k, v] of [
      ['BRACKETEER_MODELS_DIR', saved.shipped],
      ['BRACKETEER_USER_MODELS_DIR', saved.user],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await rm(root, { recursive: true, force: true });
  });

  it('finds shipped ids and the user’s own ids, and names a missing one', async () => {
    const base = await loadModel('base');
    base.model.dispose();
    const mine = await loadModel('mine');
    expect(mine.sha256).toBe(userSha);
    mine.model.dispose();
    await expect(loadModel('nope')).rejects.toThrow(/model "nope" is not installed/);
  });
});
