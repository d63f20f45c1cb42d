import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageReadError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import { floatsToHalf, halfToFloat } from '../../../src/core/io/half-float.js';
import { parseExrHeader } from '../../../src/core/io/openexr-header.js';
import { decodeOpenExr } from '../../../src/core/io/openexr-read.js';
import { encodeOpenExr } from '../../../src/core/io/openexr-write.js';
import { decodeRadiance } from '../../../src/core/io/radiance-hdr.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bracketeer-exr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gradientHdr(w: number, h: number) {
  const img = createHdr(w, h, 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      img.data[i] = 2 ** ((x / w) * 20 - 10); // spans 2^-10 … 2^10
      img.data[i + 1] = (y + 1) / h; // row-dependent: detects flips
      img.data[i + 2] = ((x * 7 + y * 13) % 97) / 3;
    }
  return img;
}

function half(v: number): number {
  const out = new Uint16Array(1);
  floatsToHalf(new Float32Array([v]), out);
  return out[0];
}

describe('half floats', () => {
  it('rounds to nearest even, clamps overflow, flushes NaN, keeps subnormals', () => {
    expect(half(1)).toBe(0x3c00);
    expect(half(-2)).toBe(0xc000);
    expect(half(65504)).toBe(0x7bff);
    expect(half(1e6)).toBe(0x7bff);
    expect(half(Infinity)).toBe(0x7bff);
    expect(half(NaN)).toBe(0);
    expect(half(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(half(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(half(2 ** -24)).toBe(1); // smallest subnormal
    expect(half(2 ** -25)).toBe(0); // tie → even (0)
    expect(half(2 ** -14)).toBe(0x0400); // smallest normal
    for (const v of [0.1, 3.14159, 1000.5, 6e-5]) {
      expect(Math.abs(halfToFloat(half(v)) - v) / v).toBeLessThanOrEqual(2 ** -11);
    }
  });
});

describe('OpenEXR write → read (three EXRLoader)', () => {
  for (const compression of ['zip', 'none'] as const) {
    it(`float ${compression}: exact`, () => {
      const img = gradientHdr(41, 37);
      const back = decodeOpenExr('f.exr', encodeOpenExr(img, { half: false, compression }));
      expect([back.width, back.height]).toEqual([41, 37]);
      expect(Array.from(back.data)).toEqual(Array.from(img.data));
    });
    it(`half ${compression}: within half precision`, () => {
      const img = gradientHdr(41, 37);
      const back = decodeOpenExr('h.exr', encodeOpenExr(img, { half: true, compression }));
      for (let i = 0; i < img.data.length; i++) {
        const v = img.data[i];
        expect(Math.abs(back.data[i] - v)).toBeLessThanOrEqual(Math.max(v * 2 ** -11, 2 ** -25));
      }
    });
  }

  it('ZIP compresses a smooth image', () => {
    const img = createHdr(256, 64, 3, new Float32Array(256 * 64 * 3).fill(0.5));
    expect(encodeOpenExr(img).length).toBeLessThan(256 * 64 * 6 * 0.1);
  });

  it('writes grey as a Y channel and reads it back as RGB; a lone G channel reads as grey', () => {
    const grey = createHdr(
      9,
      5,
      1,
      new Float32Array(45).map((_, i) => i / 4),
    );
    const bytes = Buffer.from(encodeOpenExr(grey, { half: false }));
    const back = decodeOpenExr('y.exr', bytes);
    for (let i = 0; i < 45; i++)
      expect([back.data[3 * i], back.data[3 * i + 1], back.data[3 * i + 2]]).toEqual([
        i / 4,
        i / 4,
        i / 4,
      ]);
    // rename the channel Y → G (same length) in the channel list: three alone rejects this
    const at = bytes.indexOf(Buffer.from('chlist\0')) + 7 + 4;
    expect(bytes[at]).toBe(0x59);
    bytes[at] = 0x47;
    const g = decodeOpenExr('g.exr', bytes);
    expect(Array.from(g.data)).toEqual(Array.from(back.data));
  });

  it('maps NaN/Inf/negative to 0 on read', () => {
    const img = createHdr(2, 1, 3, new Float32Array([NaN, Infinity, -1, 1, 2, 3]));
    const back = decodeOpenExr('n.exr', encodeOpenExr(img, { half: false }));
    expect(Array.from(back.data)).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('rejects truncated and corrupt files with the file name', () => {
    const good = Buffer.from(encodeOpenExr(gradientHdr(64, 64)));
    const bad = (b: Uint8Array, re: RegExp) => {
      expect(() => decodeOpenExr('bad.exr', b)).toThrow(ImageReadError);
      expect(() => decodeOpenExr('bad.exr', b)).toThrow(re);
    };
    bad(good.subarray(0, good.length >> 1), /bad\.exr: .*truncated/);
    bad(good.subarray(0, 100), /bad\.exr: .*truncated/);
    const magic = Buffer.from(good);
    magic[0] ^= 0xff;
    bad(magic, /bad\.exr: not an OpenEXR file/);
    const comp = Buffer.from(good);
    comp[comp.indexOf(Buffer.from('compression\0compression\0')) + 28] = 42;
    bad(comp, /unknown compression type 42/);
    // corrupt the zlib stream of the first chunk
    const zip = Buffer.from(good);
    const first = Number(zip.readBigUInt64LE(parseExrHeader('x', zip).headerEnd));
    zip.fill(0xab, first + 8, first + 40);
    bad(zip, /bad\.exr: cannot decode OpenEXR/);
  });

  it('enforces the pixel cap from the dataWindow', () => {
    const bytes = encodeOpenExr(gradientHdr(20, 10));
    expect(() => decodeOpenExr('cap.exr', bytes, { maxPixels: 199 })).toThrow(
      /cap\.exr: image is 20×10 = 0.00020 MP, above the limit of 0.00020 MP/,
    );
    expect(decodeOpenExr('cap.exr', bytes, { maxPixels: 200 }).width).toBe(20);
  });

  // the first python with OpenCV (Debian's python3-opencv lives in /usr/bin/python3)
  const python = ['python3', '/usr/bin/python3'].find((py) => {
    try {
      execFileSync(py, ['-c', 'import cv2'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  const cv2 = python !== undefined;
  if (!cv2)
    console.log('[openexr.test] python3 with cv2 not available: skipping the OpenCV cross-check');
  it.skipIf(!cv2)('OpenCV reads the written file (half, ZIP)', () => {
    const img = gradientHdr(33, 17);
    const file = path.join(dir, 'cv.exr');
    writeFileSync(file, encodeOpenExr(img));
    const script =
      'import os,sys,cv2;os.environ["OPENCV_IO_ENABLE_OPENEXR"]="1";' +
      'm=cv2.imread(sys.argv[1],cv2.IMREAD_UNCHANGED);print(m.shape[0],m.shape[1],m[16,32,2],m[16,32,1])';
    const out = execFileSync(python!, ['-c', script, file], {
      env: { ...process.env, OPENCV_IO_ENABLE_OPENEXR: '1' },
    })
      .toString()
      .trim()
      .split(/\s+/)
      .map(Number);
    const i = (16 * 33 + 32) * 3;
    expect(out.slice(0, 2)).toEqual([17, 33]);
    // OpenCV is BGR: index 2 is R; values are halves (relative precision 2^-11)
    expect(Math.abs(out[2] - img.data[i])).toBeLessThanOrEqual(img.data[i] * 2 ** -11);
    expect(Math.abs(out[3] - img.data[i + 1])).toBeLessThanOrEqual(img.data[i + 1] * 2 ** -11);
  });
});

const pmndrs = path.resolve(import.meta.dirname, '../../../../shared/data/hdr/polyhaven-pmndrs');
const drei = path.resolve(import.meta.dirname, '../../../../shared/data/hdr/polyhaven-drei');
const haveData =
  existsSync(path.join(pmndrs, 'bridge.exr')) &&
  existsSync(path.join(drei, 'adams_place_bridge_1k.hdr'));
if (!haveData)
  console.log('[openexr.test] ../shared/data/hdr absent: skipping the EXR/HDR row-order check');

describe.skipIf(!haveData)('row order agrees with the Radiance reader', () => {
  it('bridge.exr (512×256) correlates with the 2× downscaled adams_place_bridge_1k.hdr, not its flip', () => {
    const exr = decodeOpenExr('bridge.exr', readFileSync(path.join(pmndrs, 'bridge.exr')));
    const hdr = decodeRadiance(
      'bridge.hdr',
      readFileSync(path.join(drei, 'adams_place_bridge_1k.hdr')),
    );
    const { width: w, height: h } = exr;
    expect([hdr.width, hdr.height]).toEqual([2 * w, 2 * h]);
    const logLum = (img: { data: Float32Array }, i: number) =>
      Math.log(1e-4 + 0.2126 * img.data[i] + 0.7152 * img.data[i + 1] + 0.0722 * img.data[i + 2]);
    const a: number[] = [];
    const b: number[] = [];
    const bf: number[] = [];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        a.push(logLum(exr, (y * w + x) * 3));
        const down = (yy: number) =>
          (logLum(hdr, (2 * yy * 2 * w + 2 * x) * 3) +
            logLum(hdr, ((2 * yy + 1) * 2 * w + 2 * x + 1) * 3)) /
          2;
        b.push(down(y));
        bf.push(down(h - 1 - y));
      }
    const corr = (p: number[], q: number[]) => {
      const mp = p.reduce((s, v) => s + v, 0) / p.length;
      const mq = q.reduce((s, v) => s + v, 0) / q.length;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < p.length; i++) {
        sxy += (p[i] - mp) * (q[i] - mq);
        sxx += (p[i] - mp) ** 2;
        syy += (q[i] - mq) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    console.log(
      `[openexr.test] row-order correlation: ${corr(a, b).toFixed(3)}, flipped ${corr(a, bf).toFixed(3)}`,
    );
    expect(corr(a, b)).toBeGreaterThan(0.9);
    expect(corr(a, bf)).toBeLessThan(0.7); // sky-above-ground maps keep some correlation when flipped
  });
});
