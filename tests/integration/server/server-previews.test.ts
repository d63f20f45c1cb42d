import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import { encodeRadiance } from '../../../src/core/io/index.js';
import {
  ApiError,
  decodeImageFrame,
  type ApiErrorBody,
  type ImagePayload,
} from '../../../src/shared/api/index.js';
import { startTestServer, tempDir, type TestServer } from './helpers.js';

let t: TestServer;
let tmp: { dir: string; remove: () => Promise<void> };
let jpeg = '';
let hdr = '';

const JW = 300;
const JH = 200;
const HW = 1536;
const HH = 1024;

/** sRGB encoding of a linear value, as 8 bits (IEC 61966-2-1). */
function srgb8(v: number): number {
  const e = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  return Math.round(255 * Math.min(1, e));
}

/**
 * An HDR scene: left half a constant radiance `left` (a power of two, exact in RGBE), right half a
 * horizontal ramp over 12 stops with a vertical ripple.
 */
async function writeHdr(file: string, left: number): Promise<void> {
  const data = new Float32Array(HW * HH * 3);
  for (let y = 0; y < HH; y++) {
    for (let x = 0; x < HW; x++) {
      const v =
        x < HW / 2 ? left : 2 ** (-6 + (12 * (x - HW / 2)) / (HW / 2)) * (1.2 + Math.sin(y / 9));
      const i = (y * HW + x) * 3;
      data[i] = v;
      data[i + 1] = v;
      data[i + 2] = v;
    }
  }
  await writeFile(file, encodeRadiance(createHdr(HW, HH, 3, data)));
}

function pixel(p: ImagePayload, x: number, y: number): number[] {
  const i = (y * p.width + x) * p.channels;
  return Array.from(p.data.subarray(i, i + p.channels));
}

async function preview(
  method: 'image.preview' | 'tonemap.preview',
  body: unknown,
): Promise<{ payload: ImagePayload; ms: number; timing: string; bytes: number }> {
  const t0 = performance.now();
  const res = await t.post(method, body);
  const buf = await res.arrayBuffer();
  const ms = performance.now() - t0;
  expect(res.status, new TextDecoder().decode(buf.slice(0, 300))).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
  return {
    payload: decodeImageFrame(buf),
    ms,
    timing: res.headers.get('server-timing') ?? '',
    bytes: buf.byteLength,
  };
}

beforeAll(async () => {
  tmp = await tempDir('server-previews');
  jpeg = join(tmp.dir, 'halves.jpg');
  // left half red, right half blue
  const px = Buffer.alloc(JW * JH * 3);
  for (let y = 0; y < JH; y++) {
    for (let x = 0; x < JW; x++) px[(y * JW + x) * 3 + (x < JW / 2 ? 0 : 2)] = 255;
  }
  await sharp(px, { raw: { width: JW, height: JH, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(jpeg);
  hdr = join(tmp.dir, 'scene.hdr');
  await writeHdr(hdr, 0.125);
  t = await startTestServer();
});

afterAll(async () => {
  await t?.close();
  await tmp?.remove();
});

describe('bracketeer serve: previews', () => {
  it('image.preview of a JPEG: display size, 8-bit RGB bytes, right colours', async () => {
    const { payload, bytes } = await preview('image.preview', { path: jpeg, maxSize: 150 });
    expect(payload).toMatchObject({ width: 150, height: 100, channels: 3, format: 'u8' });
    expect(payload.data).toBeInstanceOf(Uint8Array);
    expect(payload.data.length).toBe(150 * 100 * 3);
    expect(bytes).toBe(16 + 150 * 100 * 3);
    for (const [x, y, want] of [
      [10, 50, [255, 0, 0]],
      [140, 50, [0, 0, 255]],
    ] as const) {
      pixel(payload, x, y).forEach((v, c) => expect(Math.abs(v - want[c])).toBeLessThan(16));
    }
    // the typed client decodes the same frame
    const viaClient = await t.api.invoke('image.preview', { path: jpeg, maxSize: 150 });
    expect(viaClient.format).toBe('u8');
    expect(viaClient.data).toEqual(payload.data);
    const missing = join(tmp.dir, 'missing.jpg');
    const err = await t.api.invoke('image.preview', { path: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([(err as ApiError).code, (err as ApiError).status]).toEqual(['not-found', 404]);
    expect((err as ApiError).message).toContain(missing);
    // never enlarged
    const full = await preview('image.preview', { path: jpeg, maxSize: 1000 });
    expect([full.payload.width, full.payload.height]).toEqual([JW, JH]);
  });

  it('image.preview of an HDR file: tone-mapped with the default operator at display size', async () => {
    const { payload } = await preview('image.preview', { path: hdr, maxSize: 300 });
    expect(payload).toMatchObject({ width: 300, height: 200, channels: 3, format: 'u8' });
    // the ramp brightens left to right on the right half
    expect(pixel(payload, 290, 100)[0]).toBeGreaterThan(pixel(payload, 160, 100)[0]);
  });

  it('tonemap.preview follows a parameter, and repeated calls hit the decoded-HDR cache', async () => {
    const body = { path: hdr, op: 'clip', maxSize: 256 };
    const first = await preview('tonemap.preview', { ...body, params: { exposure: 0 } });
    const second = await preview('tonemap.preview', { ...body, params: { exposure: 1 } });
    expect(first.payload).toMatchObject({ width: 256, height: 171, channels: 3 });
    expect(first.timing).toContain('cache;desc=miss');
    expect(second.timing).toContain('cache;desc=hit');
    // clip: sRGB(radiance · 2^exposure), on the constant left half
    expect(pixel(first.payload, 20, 80)).toEqual(Array(3).fill(srgb8(0.125)));
    expect(pixel(second.payload, 20, 80)).toEqual(Array(3).fill(srgb8(0.25)));
    const cached: number[] = [];
    for (const exposure of [0.5, -0.5, 1.5]) {
      cached.push((await preview('tonemap.preview', { ...body, params: { exposure } })).ms);
    }
    cached.push(second.ms);
    cached.sort((a, b) => a - b);
    const median = (cached[1] + cached[2]) / 2;
    console.log(
      `tonemap.preview ${HW}×${HH} .hdr → 256×171: first ${first.ms.toFixed(0)} ms (${first.timing}), cached median ${median.toFixed(1)} ms (${second.timing})`,
    );
    expect(median).toBeLessThan(first.ms);

    // adjustments act too: gamma 2 on the encoded value
    const g = await preview('tonemap.preview', { ...body, params: { exposure: 0 }, gamma: 2 });
    const want = Math.round(255 * (srgb8(0.125) / 255) ** 0.5);
    expect(Math.abs(pixel(g.payload, 20, 80)[0] - want)).toBeLessThanOrEqual(1);
  });

  it('a changed file is decoded again', async () => {
    const other = join(tmp.dir, 'changing.hdr');
    await writeHdr(other, 0.125);
    const body = { path: other, op: 'clip', maxSize: 64 };
    expect(pixel((await preview('tonemap.preview', body)).payload, 5, 20)[0]).toBe(srgb8(0.125));
    await writeHdr(other, 0.25);
    const later = new Date(Date.now() + 5000);
    await utimes(other, later, later);
    const again = await preview('tonemap.preview', body);
    expect(again.timing).toContain('cache;desc=miss');
    expect(pixel(again.payload, 5, 20)[0]).toBe(srgb8(0.25));
  });

  it('tonemap.preview names the field at fault', async () => {
    const cases: [unknown, number, string][] = [
      [{ path: hdr, op: 'nosuchop' }, 400, 'op'],
      [{ path: hdr, op: 'clip', params: { foo: 1 } }, 400, 'params.foo'],
      [{ path: hdr, op: 'clip', params: { exposure: 99 } }, 400, 'params.exposure'],
      [{ path: hdr, op: 'clip', saturation: -1 }, 400, 'saturation'],
      [{ path: jpeg, op: 'clip' }, 400, 'path'],
    ];
    for (const [body, status, field] of cases) {
      const res = await t.post('tonemap.preview', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const e = ((await res.json()) as ApiErrorBody).error;
      expect(e.field).toBe(field);
      expect(e.message).toContain(field);
    }
  });

  it('a corrupt image is a 422 naming the file', async () => {
    const bad = join(tmp.dir, 'corrupt.jpg');
    await writeFile(bad, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]));
    const res = await t.post('image.preview', { path: bad });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ApiErrorBody).error.message).toContain(bad);
  });
});
