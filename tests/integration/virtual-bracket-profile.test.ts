/**
 * writeVirtualBracket with a given inverse response (a camera profile's): the HDR merge uses it
 * instead of calibrating on the virtual frames. The expected radiance is computed here from the
 * model's frames with the Debevec formula written out independently.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { readImage } from '../../src/core/io/read-image.js';
import { TINY_CONFIG } from '../../src/core/model/architectures/multi-exposure/config.js';
import {
  createMultiExposureModel,
  type MultiExposureModel,
} from '../../src/core/model/architectures/multi-exposure/model.js';
import { writeVirtualBracket } from '../../src/core/model/bracket/virtual-bracket.js';
import { generateBracket } from '../../src/core/model/inference/tiled-bracket.js';

const W = 48;
const H = 32;
const EVS = [-2, 2];
const GAMMA = 2.2;

let dir = '';
let photo = '';
let model: MultiExposureModel;
/** photo (EV 0) and model frames as 8-bit codes, with their exposure times */
let bracket: { codes: Uint8Array; time: number }[] = [];

/** Gamma-2.2 inverse response, one shared curve: code z → (z/255)^2.2. */
function gammaResponse(): { inverse: Float32Array[]; source: string; residual: number } {
  const c = new Float32Array(256);
  for (let z = 0; z < 256; z++) c[z] = (z / 255) ** GAMMA;
  return { inverse: [c, c, c], source: 'profile:Test Cam', residual: 0.05 };
}

/** Expected Debevec radiance of sample i: Σ w(z)(ln f⁻¹(z) − ln t) / Σ w(z), hat weights. */
function expectedRadiance(i: number): number | null {
  let num = 0;
  let den = 0;
  for (const f of bracket) {
    const z = f.codes[i];
    const w = z <= 127.5 ? z : 255 - z;
    if (w === 0) continue;
    num += w * (GAMMA * Math.log(z / 255) - Math.log(f.time));
    den += w;
  }
  return den > 0 ? Math.exp(num / den) : null;
}

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-vb-profile-'));
  photo = path.join(dir, 'photo.png');
  const px = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      px[i] = 20 + Math.round((x * 200) / W);
      px[i + 1] = 30 + Math.round((y * 180) / H);
      px[i + 2] = 60 + Math.round(((x + y) * 100) / (W + H));
    }
  }
  await sharp(px, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(photo);
  model = createMultiExposureModel(TINY_CONFIG, 5);
  const image = await readImage(photo);
  if (image.kind !== 'ldr') throw new Error('photo is not LDR');
  const frames = await generateBracket(model, image, EVS);
  const codes = (d: Float32Array) =>
    Uint8Array.from(d, (v) => Math.min(255, Math.max(0, Math.round(v * 255))));
  // the PNG has no EXIF: the photo's time is 1 s, the frames' 2^ev s
  bracket = [
    { codes: Uint8Array.from(px), time: 1 },
    ...frames.map((f, k) => ({ codes: codes(f.data), time: 2 ** EVS[k] })),
  ];
}, 60_000);

afterAll(async () => {
  model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function mergedSamples(file: string): Promise<Float32Array> {
  const img = await readImage(file);
  if (img.kind !== 'hdr') throw new Error(`${file} is not HDR`);
  expect([img.width, img.height, img.channels]).toEqual([W, H, 3]);
  return img.data;
}

describe('writeVirtualBracket with a camera profile response', () => {
  it('merges with the given response (Debevec formula on the frames) and says so', async () => {
    const mergeTo = path.join(dir, 'given.exr');
    const r = await writeVirtualBracket(model, photo, EVS, {
      outDir: path.join(dir, 'given'),
      mergeTo,
      response: gammaResponse(),
    });
    expect(r.mergeResponse).toEqual({ kind: 'given', source: 'profile:Test Cam', residual: 0.05 });
    const got = await mergedSamples(mergeTo);
    let checked = 0;
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      const e = expectedRadiance(i);
      if (e === null) continue;
      worst = Math.max(worst, Math.abs(got[i] - e) / e);
      checked++;
    }
    expect(checked).toBeGreaterThan(got.length * 0.9);
    // OpenEXR half floats: 11-bit mantissa
    expect(worst).toBeLessThan(2e-3);
  }, 60_000);

  it('without a response, calibrates on the virtual frames and gives a different HDR', async () => {
    const mergeTo = path.join(dir, 'calibrated.exr');
    const r = await writeVirtualBracket(model, photo, EVS, {
      outDir: path.join(dir, 'calibrated'),
      mergeTo,
    });
    expect(r.mergeResponse?.kind).toBe('calibrated');
    expect(r.mergeResponse?.source).toBe('debevec');
    const given = await mergedSamples(path.join(dir, 'given.exr'));
    const calibrated = await mergedSamples(mergeTo);
    // compare shapes, not scales: the ratio between two samples differs between the merges
    let differs = 0;
    for (let i = 3; i < given.length; i++) {
      const a = given[i] / given[0];
      const b = calibrated[i] / calibrated[0];
      if (Math.abs(a - b) > 0.01 * Math.abs(a)) differs++;
    }
    expect(differs).toBeGreaterThan(given.length / 4);
  }, 60_000);

  it('refuses an invalid response before rendering', async () => {
    const bad = { inverse: [new Float32Array(10)], source: 'x' };
    await expect(
      writeVirtualBracket(model, photo, EVS, {
        outDir: path.join(dir, 'bad'),
        mergeTo: path.join(dir, 'bad.exr'),
        response: bad,
      }),
    ).rejects.toThrow(InvalidInputError);
  });
});
