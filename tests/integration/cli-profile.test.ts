/**
 * `bracketeer bracket --merge` with a model folder holding a camera profile: the photo of that
 * camera is merged with the profile (one `response:` line says so), a photo of another camera
 * with a response calibrated on the virtual frames; a corrupt profile is named.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIFTOOL_AVAILABLE } from '../unit/exif/exiftool.js';
import { buildCli, cli } from './cli-helpers.js';
import { installTinyModel, tempDir } from './server/helpers.js';

const saved = {
  models: process.env.BRACKETEER_MODELS_DIR,
  backend: process.env.BRACKETEER_BACKEND,
};
let tmp: { dir: string; remove: () => Promise<void> };
let models = '';
let canon = '';
let nikon = '';

async function photo(file: string, make: string, model: string): Promise<string> {
  const w = 40;
  const h = 24;
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = 30 + ((i * 13) % 190);
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(file);
  execFileSync('exiftool', ['-q', '-overwrite_original', `-Make=${make}`, `-Model=${model}`, file]);
  return file;
}

/** Turns an installed tiny model into a fine-tune with a gamma-2.2 profile for `key`. */
async function addProfile(id: string, key: string, residual: number): Promise<void> {
  const dir = join(models, id);
  const curve = Array.from({ length: 256 }, (_, z) => (z / 255) ** 2.2);
  const profile = { key, make: null, model: null, source: 'debevec', residual, stacks: [] };
  await writeFile(
    join(dir, 'camera-response.json'),
    JSON.stringify({ ...profile, inverse: [curve, curve, curve] }),
  );
  const d = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  const descriptor = {
    ...d,
    kind: 'fine-tune',
    baseModel: 'base',
    createdAt: '2026-01-01T00:00:00.000Z',
    cameraProfile: { key, residual, file: 'camera-response.json' },
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(descriptor));
}

beforeAll(async () => {
  tmp = await tempDir('cli-profile');
  models = join(tmp.dir, 'models');
  process.env.BRACKETEER_MODELS_DIR = models;
  process.env.BRACKETEER_BACKEND = 'cpu';
  await Promise.all([
    buildCli(),
    installTinyModel(models, 'tuned'),
    installTinyModel(models, 'broken'),
  ]);
  await addProfile('tuned', 'Canon EOS 5D', 0.0731);
  await addProfile('broken', 'Canon EOS 5D', 0.1);
  await writeFile(join(models, 'broken', 'camera-response.json'), '{"key": "Canon EOS 5D", ');
  if (EXIFTOOL_AVAILABLE) {
    canon = await photo(join(tmp.dir, 'canon.jpg'), 'Canon', 'EOS 5D');
    nikon = await photo(join(tmp.dir, 'nikon.jpg'), 'NIKON', 'D850');
  }
}, 120_000);

afterAll(async () => {
  for (const [k, v] of [
    ['BRACKETEER_MODELS_DIR', saved.models],
    ['BRACKETEER_BACKEND', saved.backend],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await tmp?.remove();
});

const bracketArgs = (file: string, out: string, model: string): string[] => [
  'bracket',
  file,
  '-o',
  join(tmp.dir, out),
  '--ev',
  '-1,1',
  '--merge',
  join(tmp.dir, `${out}.exr`),
  '--model',
  model,
];

describe.skipIf(!EXIFTOOL_AVAILABLE)('bracketeer bracket --merge and camera profiles', () => {
  it('uses the model profile for a photo of its camera and prints it', async () => {
    const r = await cli(bracketArgs(canon, 'canon', 'tuned'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('response:'));
    expect(lines).toEqual([
      'response: camera profile "Canon EOS 5D" (residual 0.073, from model tuned)',
    ]);
  }, 60_000);

  it('calibrates on the virtual frames for a photo of another camera', async () => {
    const r = await cli(bracketArgs(nikon, 'nikon', 'tuned'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('response:'));
    expect(lines).toEqual(['response: calibrated on the virtual frames']);
  }, 60_000);

  it('prints no response line without --merge', async () => {
    const r = await cli([
      'bracket',
      canon,
      '-o',
      join(tmp.dir, 'plain'),
      '--ev',
      '1',
      '--model',
      'tuned',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('response:');
  }, 60_000);

  it('names a corrupt camera profile and exits 1', async () => {
    const r = await cli(bracketArgs(canon, 'broken', 'broken'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(models, 'broken', 'camera-response.json'));
    expect(r.stderr).toMatch(/not JSON/);
  }, 60_000);
});
