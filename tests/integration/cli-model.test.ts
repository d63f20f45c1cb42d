import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_CONFIG } from '../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../src/core/model/architectures/multi-exposure/model.js';
import { saveWeights } from '../../src/core/model/nn/weights-io.js';
import { BACKEND_ORDER } from '../../src/core/model/runtime/backend.js';
import { buildCli, cli, type CliResult } from './cli-helpers.js';

const savedBackend = process.env.BRACKETEER_BACKEND;
let dir = '';
let weights = '';
let photo = '';
let stackDir = '';

const PW = 97;
const PH = 61;
const SW = 64;
const SH = 48;
const GAMMA = 2.2;
const STOPS = [-2, -1, 0, 1, 2];

/** Scene radiance of the bracket: 9 stops left to right with a soft vertical texture. */
function radiance(x: number, y: number, c: number): number {
  const l = -7 + (9 * x) / (SW - 1) + 0.3 * Math.sin(y / 4) * Math.cos(x / 6);
  return 2 ** l * [1, 0.8, 0.6][c];
}

/** One 8-bit PNG frame of a pure-gamma camera at exposure time t. */
async function writeFrame(file: string, t: number): Promise<void> {
  const px = Buffer.alloc(SW * SH * 3);
  for (let y = 0; y < SH; y++) {
    for (let x = 0; x < SW; x++) {
      for (let c = 0; c < 3; c++) {
        px[(y * SW + x) * 3 + c] = Math.round(
          255 * Math.min(1, radiance(x, y, c) * t) ** (1 / GAMMA),
        );
      }
    }
  }
  await sharp(px, { raw: { width: SW, height: SH, channels: 3 } })
    .png()
    .toFile(file);
}

beforeAll(async () => {
  // The CLI children inherit this: the cpu backend starts at once and is deterministic.
  process.env.BRACKETEER_BACKEND = 'cpu';
  await tf.setBackend('cpu');
  const build = buildCli();
  dir = await mkdtemp(join(tmpdir(), 'bracketeer-cli-model-'));
  const model = createMultiExposureModel(TINY_CONFIG, 3);
  try {
    await saveWeights(join(dir, 'tiny'), model.params, { config: TINY_CONFIG });
  } finally {
    model.dispose();
  }
  weights = join(dir, 'tiny.json');

  photo = join(dir, 'photo.jpg');
  const px = Buffer.alloc(PW * PH * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 7) % 200;
  await sharp(px, { raw: { width: PW, height: PH, channels: 3 } })
    .blur(2)
    .jpeg({ quality: 90 })
    .toFile(photo);

  stackDir = join(dir, 'stack');
  await mkdir(stackDir);
  for (const [i, s] of STOPS.entries()) await writeFrame(join(stackDir, `f${i}.png`), 2 ** s / 4);
  await writeFile(
    join(stackDir, 'shutter_times.txt'),
    `# one time per frame, file-name order\n${STOPS.map((s) => `1/${4 / 2 ** s}`).join('\n')}\n`,
  );
  await build;
});

afterAll(async () => {
  if (savedBackend === undefined) delete process.env.BRACKETEER_BACKEND;
  else process.env.BRACKETEER_BACKEND = savedBackend;
  await rm(dir, { recursive: true, force: true });
});

describe('bracketeer model commands', () => {
  it('bracket writes the frames and lists them as JSON', async () => {
    const out = join(dir, 'frames');
    const r = await cli([
      'bracket',
      photo,
      '-o',
      out,
      '--ev',
      '-1,1',
      '--model',
      weights,
      '--format',
      'jpg',
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as {
      frames: { ev: number; file: string }[];
      input: { width: number; height: number };
      backend: { name: string };
      model: { id: string; sha256: string };
    };
    expect(data.frames).toEqual([
      { ev: -1, file: join(out, 'photo_ev-1.00.jpg') },
      { ev: 1, file: join(out, 'photo_ev+1.00.jpg') },
    ]);
    expect(data.input).toMatchObject({ width: PW, height: PH });
    expect(data.backend.name).toBe('cpu');
    expect(data.model.id).toBe(weights);
    expect(data.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const f of data.frames) {
      const meta = await sharp(f.file).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', PW, PH]);
    }
  });

  it('bracket gives the same frames on ONNX Runtime as on TensorFlow.js (within 16-bit rounding)', async () => {
    const render = async (engine: string): Promise<Uint16Array[]> => {
      process.env.BRACKETEER_BACKEND = engine;
      try {
        const out = join(dir, `frames-${engine}`);
        const r = await cli([
          'bracket',
          photo,
          '-o',
          out,
          '--ev',
          '-2,1.5',
          '--model',
          weights,
          '--format',
          'tif16',
          '--json',
        ]);
        expect(r.code, r.stderr).toBe(0);
        const data = JSON.parse(r.stdout) as {
          frames: { file: string }[];
          backend: { inference?: { name: string } };
        };
        expect(data.backend.inference?.name).toBe(engine);
        return Promise.all(
          data.frames.map(async (f) => {
            const { data: raw, info } = await sharp(f.file)
              .raw({ depth: 'ushort' })
              .toBuffer({ resolveWithObject: true });
            expect([info.width, info.height, info.channels]).toEqual([PW, PH, 3]);
            return new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
          }),
        );
      } finally {
        process.env.BRACKETEER_BACKEND = 'cpu';
      }
    };
    const tfjs = await render('cpu');
    const onnx = await render('onnxruntime');
    for (let f = 0; f < tfjs.length; f++) {
      let max = 0;
      for (let i = 0; i < tfjs[f].length; i++)
        max = Math.max(max, Math.abs(tfjs[f][i] - onnx[f][i]));
      // parity tolerance 1e-4 of full scale ≈ 6.6 codes of 65535
      expect(max).toBeLessThanOrEqual(7);
    }
  });

  it('eval scores model, naive and oracle on a bracket folder', async () => {
    const r = await cli(['eval', '--stack', stackDir, '--model', weights, '--json']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as {
      kind: string;
      methods: string[];
      referenceFile: string;
      rows: {
        offset: number;
        file: string | null;
        scores: Record<string, { psnr: number | string; ssim: number | string }> | null;
      }[];
      missing: number[];
    };
    expect(data.kind).toBe('stack');
    expect(data.referenceFile).toBe('f2.png');
    expect([...data.methods].sort()).toEqual(['model', 'naive', 'oracle']);
    expect(data.missing).toEqual([-3, 3]);
    const scored = data.rows.filter((row) => row.scores !== null);
    expect(scored.map((row) => [row.offset, row.file])).toEqual([
      [-2, 'f0.png'],
      [-1, 'f1.png'],
      [1, 'f3.png'],
      [2, 'f4.png'],
    ]);
    for (const row of scored) {
      for (const m of ['model', 'naive', 'oracle']) {
        const s = row.scores![m];
        expect(typeof s.psnr === 'number' || s.psnr === 'Infinity', `${m} ${row.offset}`).toBe(
          true,
        );
        expect(Number(s.ssim)).toBeGreaterThan(-1);
        expect(Number(s.ssim)).toBeLessThanOrEqual(1);
      }
      // the stack's own (calibrated) response predicts a pure-gamma camera well, better than
      // scaling through the sRGB curve, which is not this camera's
      const oracle = Number(row.scores!.oracle.psnr);
      expect(oracle, `oracle ${row.offset}`).toBeGreaterThan(40);
      expect(oracle, `oracle ${row.offset}`).toBeGreaterThan(Number(row.scores!.naive.psnr));
    }
  });

  it('bracket names a missing photo in one line and exits 1', async () => {
    const missing = join(dir, 'no-such-photo.jpg');
    // The default backend: tfjs's cpu backend prints a multi-line banner on stderr in Node.
    delete process.env.BRACKETEER_BACKEND;
    let r: CliResult;
    try {
      r = await cli(['bracket', missing, '-o', join(dir, 'x'), '--model', weights]);
    } finally {
      process.env.BRACKETEER_BACKEND = 'cpu';
    }
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(missing);
    expect(lines[0]).toMatch(/not found/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('bracket rejects an EV outside ±4 with exit 2', async () => {
    const r = await cli(['bracket', photo, '-o', join(dir, 'y'), '--ev', '9', '--model', weights]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--ev: "9"/);
    expect(existsSync(join(dir, 'y'))).toBe(false);
  });

  it('doctor reports the backend in use', async () => {
    const r = await cli(['doctor', '--json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { name: string; tfName: string; threads: number };
    expect(BACKEND_ORDER).toContain(data.name);
    expect(data.name).toBe('cpu');
    expect(data.tfName).toBe('cpu');
    expect(data.threads).toBeGreaterThanOrEqual(1);
  });
});
