/**
 * `bracketeer finetune` as a user runs it: a generated stack and a tiny base model in a
 * temporary models directory; the new model folder and its card with the before/after table
 * are written, and `bracketeer eval --model <new id>` loads it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticStack, writeTinyModel } from '../unit/model/finetune/fixtures.js';
import { buildCli, cli, REPO } from './cli-helpers.js';

const saved = {
  backend: process.env.BRACKETEER_BACKEND,
  models: process.env.BRACKETEER_MODELS_DIR,
};
let root = '';
let modelsDir = '';
let stackDir = '';

function restore(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

beforeAll(async () => {
  // inherited by the CLI children: the deterministic cpu backend and the temporary models
  process.env.BRACKETEER_BACKEND = 'cpu';
  await tf.setBackend('cpu');
  const build = buildCli();
  root = await mkdtemp(path.join(tmpdir(), 'bracketeer-finetune-cli-'));
  modelsDir = path.join(root, 'models');
  process.env.BRACKETEER_MODELS_DIR = modelsDir;
  await writeTinyModel(modelsDir, 'tiny-base');
  stackDir = path.join(root, 'stack');
  await writeSyntheticStack(stackDir, 64, 48, 5);
  await build;
}, 120_000);

afterAll(async () => {
  restore('BRACKETEER_BACKEND', saved.backend);
  restore('BRACKETEER_MODELS_DIR', saved.models);
  await rm(root, { recursive: true, force: true });
});

describe('bracketeer finetune', () => {
  it('writes the model folder and a card with the before/after table', async () => {
    const r = await cli([
      'finetune',
      stackDir,
      '--from',
      'tiny-base',
      '--out',
      'my-camera',
      '--steps',
      '4',
      '--validate-every',
      '2',
      '--crop',
      '16',
      '--lr',
      '0.003',
      '--holdout',
      '0.5',
      '--seed',
      '2',
    ]);
    expect(r.stderr).toMatch(/stack stack: 5 frames 64×48, camera not recorded, reference f2\.png/);
    expect(r.stderr).toMatch(/step 0: held-out PSNR mean \d+\.\d\d dB/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('| offset (EV) | base model | fine-tuned | Δ | profile | naive |');
    const dir = path.join(modelsDir, 'my-camera');
    expect((await readdir(dir)).sort()).toEqual([
      'README.md',
      'camera-response.json',
      'model.encode.onnx',
      'model.json',
      'model.render-down.onnx',
      'model.render-up.onnx',
      'weights.bin',
      'weights.json',
    ]);
    const card = await readFile(path.join(dir, 'README.md'), 'utf8');
    expect(card).toContain('| offset (EV) | base model | fine-tuned | Δ | profile | naive |');
    for (const o of ['-2', '-1', '+1', '+2', 'mean'])
      expect(card).toMatch(
        new RegExp(`\\| ${o.replace('+', '\\+')} \\| \\d+\\.\\d\\d \\| \\d+\\.\\d\\d \\|`),
      );
    const descriptor = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(descriptor.kind).toBe('fine-tune');
    expect(descriptor.baseModel).toBe('tiny-base');

    const ev = await cli(['eval', '--stack', stackDir, '--right-half', '--model', 'my-camera']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/^model my-camera \(sha256 [0-9a-f]{12}…\)/);
  }, 120_000);

  it('stops cleanly on Ctrl-C without writing a model folder', async () => {
    const listing = (await readdir(modelsDir)).sort();
    const child = spawn(
      process.execPath,
      [
        path.join(REPO, 'bin/bracketeer.js'),
        'finetune',
        stackDir,
        '--from',
        'tiny-base',
        '--out',
        'interrupted',
        '--steps',
        '1000',
        '--crop',
        '16',
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stderr.on('data', (chunk: Buffer) => {
      const before = stderr;
      stderr += chunk.toString();
      // ten steps done: interrupt the loop (its first validation would be at step 50)
      if (!before.includes('step 10:') && stderr.includes('step 10:')) child.kill('SIGINT');
    });
    const code = await done;
    expect(code, stderr).toBe(1);
    const stopped = /bracketeer finetune: cancelled: stopped at step (\d+); no model written/.exec(
      stderr,
    );
    expect(stopped, stderr).not.toBeNull();
    // the interrupt is seen between steps, not only when validation yields
    expect(Number(stopped![1])).toBeLessThan(20);
    expect((await readdir(modelsDir)).sort()).toEqual(listing);
  }, 60_000);

  it('refuses an id that is taken and leaves no folder behind on a usage error', async () => {
    const r = await cli(['finetune', stackDir, '--from', 'tiny-base', '--out', 'tiny-base']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tiny-base already exists; choose another model id/);
    const u = await cli(['finetune', stackDir, '--out', 'x', '--holdout', '1.5']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--holdout must be a number in \(0, 1\)/);
    expect(existsSync(path.join(modelsDir, 'x'))).toBe(false);
  }, 60_000);
});
