import { describe, expect, it } from 'vitest';
import { calibrateDebevec } from '../../../../src/core/camera/debevec-calibrate.js';
import { gammaResponse } from '../../../../src/core/camera/response-builders.js';
import { responseRmsError } from '../../../../src/core/camera/response-compare.js';
import type { InverseResponse } from '../../../../src/core/camera/response.js';
import { CancelledError, InvalidInputError } from '../../../../src/core/errors.js';
import { mergeDebevec } from '../../../../src/core/hdr/merge-debevec.js';
import { codeToUnit, createLdr, type LdrImage } from '../../../../src/core/image/image.js';
import type { Progress } from '../../../../src/core/job.js';
import {
  calibrateOnCodes,
  mergeCodeFrames,
  photoCodes8,
  toCodes,
  type CodeFrame,
} from '../../../../src/core/model/bracket/stream-merge.js';

const GAMMA = 2.2;
/** Per-channel tints so the channels see different radiances. */
const TINTS = [1, 0.75, 0.55];

/**
 * Smooth scene radiance: log2 E spans [log2Min, log2Max] left to right, with a ±0.5-stop
 * texture and the channel tints (interleaved RGB, float64).
 */
function radiance(width: number, height: number, log2Min: number, log2Max: number): Float64Array {
  const e = new Float64Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l =
        log2Min +
        ((log2Max - log2Min) * x) / (width - 1) +
        0.3 * Math.sin(x / 7.3) * Math.cos(y / 9.1) +
        0.2 * Math.sin((2 * Math.PI * y) / height);
      for (let c = 0; c < 3; c++) e[(y * width + x) * 3 + c] = 2 ** l * TINTS[c];
    }
  }
  return e;
}

/** 8-bit code frames of a pure-gamma camera: z = round(255·min(1, E·t)^(1/γ)). */
function renderCodes(e: Float64Array, times: readonly number[]): CodeFrame[] {
  return times.map((time) => {
    const codes = new Uint8Array(e.length);
    for (let i = 0; i < e.length; i++) {
      codes[i] = Math.round(255 * Math.min(1, e[i] * time) ** (1 / GAMMA));
    }
    return { codes, time };
  });
}

function framesOf(frames: readonly CodeFrame[], width: number, height: number): LdrImage[] {
  return frames.map((f) =>
    createLdr(
      width,
      height,
      3,
      Float32Array.from(f.codes, (z) => z / 255),
    ),
  );
}

/** Index of the first element where a and b differ (bitwise float equality), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const STOPS = [-2, -1, 0, 1, 2];
const TIMES = STOPS.map((s) => 2 ** s);

describe('toCodes', () => {
  it('rounds exact code values to themselves and half-way neighbours to the nearest code', () => {
    const n = 256;
    const data = new Float32Array(3 * n);
    for (let z = 0; z < n; z++) {
      data[z] = z / 255;
      data[n + z] = (z + 0.49) / 255;
      data[2 * n + z] = (z - 0.49) / 255;
    }
    const codes = toCodes(data);
    for (let z = 0; z < n; z++) {
      expect(codes[z]).toBe(z);
      expect(codes[n + z]).toBe(Math.min(255, z));
      expect(codes[2 * n + z]).toBe(Math.max(0, z));
    }
    // just above half a code rounds up
    expect(Array.from(toCodes(new Float32Array([0.51 / 255, 10.51 / 255, 254.51 / 255])))).toEqual([
      1, 11, 255,
    ]);
  });

  it('clamps out-of-range values and maps NaN to 0', () => {
    const data = new Float32Array([-0.5, -1e-9, 1.0000001, 2, 1e30, Infinity, -Infinity, NaN]);
    expect(Array.from(toCodes(data))).toEqual([0, 0, 255, 255, 255, 255, 0, 0]);
  });

  it('agrees with round(clamp(v)·255) on random values', () => {
    let s = 12345;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const data = Float32Array.from({ length: 10_000 }, () => 1.4 * rnd() - 0.2);
    const codes = toCodes(data);
    expect(codes.length).toBe(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = Math.min(1, Math.max(0, data[i]));
      expect(codes[i], `value ${data[i]}`).toBe(Math.floor(v * 255 + 0.5));
    }
  });
});

describe('photoCodes8', () => {
  it("gives an 8-bit photo's own codes and rounds 16-bit ones as toCodes rounds their values", () => {
    const c8 = Uint8Array.from([0, 7, 128, 255]);
    const photo8 = { kind: 'ldr-codes', width: 1, height: 1, channels: 3, bitDepth: 8 } as const;
    expect(photoCodes8({ ...photo8, codes: c8 })).toBe(c8);
    const c16 = Uint16Array.from({ length: 3 * 4000 }, (_, i) => (i * 16.3837) % 65536);
    const unit = codeToUnit(16);
    const expected = toCodes(Float32Array.from(c16, (c) => unit[c]));
    const actual = photoCodes8({ ...photo8, width: 4000, bitDepth: 16, codes: c16 });
    expect(Array.from(actual)).toEqual(Array.from(expected));
  });
});

describe('mergeCodeFrames', () => {
  // 301 rows: not a multiple of the 64-row or the default 128-row strips.
  const W = 97;
  const H = 301;
  // 16 stops of scene: the left edge is black and the right edge saturated in every frame.
  const codeFrames = renderCodes(radiance(W, H, -17, 3), TIMES);
  const response: InverseResponse = {
    inverse: [2.2, 2.0, 2.4].map((g) => gammaResponse(g).inverse[0]),
    source: 'test',
  };
  const whole = mergeDebevec(framesOf(codeFrames, W, H), TIMES, response);

  it('gives exactly the whole-frame Debevec merge for strips not dividing the height', () => {
    expect(whole.data.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    for (const strip of [64, 128, 1, H, 1000]) {
      const hdr = mergeCodeFrames(codeFrames, W, H, response, strip);
      expect(hdr.kind).toBe('hdr');
      expect([hdr.width, hdr.height, hdr.channels]).toEqual([W, H, 3]);
      expect(firstDifference(hdr.data, whole.data), `strip ${strip}`).toBe(-1);
    }
  });

  it('recovers the scene radiance up to one global scale where exposed', () => {
    // With the true response (gamma per channel, inverse(z) = (z/255)^γ), the merge is E·k.
    const e = radiance(W, H, -17, 3);
    const gResp = gammaResponse(GAMMA);
    const hdr = mergeCodeFrames(codeFrames, W, H, gResp);
    const ratios: number[] = [];
    for (let i = 0; i < e.length; i++) {
      // well inside the bracket's range: exposed mid-tones in some frame
      if (e[i] > 2 ** -10 && e[i] < 2 ** -1) ratios.push(hdr.data[i] / e[i]);
    }
    expect(ratios.length).toBeGreaterThan(1000);
    ratios.sort((a, b) => a - b);
    const median = ratios[ratios.length >> 1];
    expect(median).toBeGreaterThan(0.95);
    expect(median).toBeLessThan(1.05);
    for (const r of [ratios[Math.floor(0.01 * ratios.length)], ratios[ratios.length - 1]]) {
      expect(Math.abs(r / median - 1)).toBeLessThan(0.05);
    }
  });

  it('reports monotone progress ending at 1 and honours an aborted signal', () => {
    const seen: Progress[] = [];
    mergeCodeFrames(codeFrames, W, H, response, 100, { onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.fraction)).toEqual([100 / H, 200 / H, 300 / H, 1]);
    const ac = new AbortController();
    ac.abort();
    expect(() => mergeCodeFrames(codeFrames, W, H, response, 64, { signal: ac.signal })).toThrow(
      CancelledError,
    );
  });

  it('rejects a single frame', () => {
    expect(() => mergeCodeFrames(codeFrames.slice(0, 1), W, H, response)).toThrow(
      InvalidInputError,
    );
  });
});

describe('calibrateOnCodes', () => {
  const W = 600;
  const H = 400;
  // 5 frames 1 EV apart over a scene of 12 stops: every code 1…254 is hit by some frame.
  const codeFrames = renderCodes(radiance(W, H, -11, 1), TIMES);
  const truth = gammaResponse(GAMMA);

  it('recovers a gamma-2.2 response within 2 % RMS (whole frames)', () => {
    const r = calibrateOnCodes(codeFrames, W, H);
    expect(r.inverse.length).toBe(3);
    const err = responseRmsError(r, truth);
    expect(err).toBeLessThan(0.02);
  });

  it('subsamples on a regular grid when the frames exceed maxPixels', () => {
    const maxPixels = 10_000;
    const r = calibrateOnCodes(codeFrames, W, H, maxPixels);
    expect(responseRmsError(r, truth)).toBeLessThan(0.02);
    // The same calibration on frames subsampled by hand: every 5th pixel (ceil √(240000/10000)).
    const step = 5;
    const sw = Math.ceil(W / step);
    const sh = Math.ceil(H / step);
    const small = codeFrames.map((f) => {
      const d = new Float32Array(sw * sh * 3);
      for (let y = 0; y < sh; y++) {
        for (let x = 0; x < sw; x++) {
          for (let c = 0; c < 3; c++) {
            d[(y * sw + x) * 3 + c] = f.codes[(y * step * W + x * step) * 3 + c] / 255;
          }
        }
      }
      return createLdr(sw, sh, 3, d, 8);
    });
    const expected = calibrateDebevec(small, TIMES);
    for (let c = 0; c < 3; c++) {
      expect(firstDifference(r.inverse[c], expected.inverse[c]), `channel ${c}`).toBe(-1);
    }
  });
});
