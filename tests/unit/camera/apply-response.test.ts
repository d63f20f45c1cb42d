import { describe, expect, it } from 'vitest';
import {
  applyInverseResponse,
  forwardResponse,
  gammaResponse,
  responseFromForward,
  responseRmsError,
  srgbResponse,
} from '../../../src/core/camera/apply-response.js';
import { createHdr, createLdr } from '../../../src/core/image/image.js';
import { InvalidInputError } from '../../../src/core/errors.js';

describe('response builders', () => {
  it('sRGB and gamma tables hold the analytic values', () => {
    const s = srgbResponse().inverse[0];
    expect(s[255]).toBeCloseTo(1, 6);
    expect(s[10]).toBeCloseTo(10 / 255 / 12.92, 9);
    expect(s[128]).toBeCloseTo(((128 / 255 + 0.055) / 1.055) ** 2.4, 6);
    expect(s[0]).toBeGreaterThan(0);
    const g = gammaResponse(2.2).inverse[0];
    expect(g[64]).toBeCloseTo((64 / 255) ** 2.2, 7);
    expect(() => gammaResponse(0)).toThrow(InvalidInputError);
  });

  it('responseFromForward inverts a known curve', () => {
    const r = responseFromForward((x) => Math.min(1, Math.sqrt(x)), 'sqrt').inverse[0];
    for (const z of [1, 50, 128, 254]) expect(r[z] / (z / 255) ** 2).toBeCloseTo(1, 6);
    expect(r[255]).toBeCloseTo(1, 6);
  });
});

describe('applyInverseResponse / forwardResponse', () => {
  it('linearises 8-bit codes to the table values, per channel', () => {
    const resp = {
      inverse: [gammaResponse(2).inverse[0], gammaResponse(3).inverse[0]],
      source: 't',
    };
    const img = createLdr(2, 1, 1, new Float32Array([64 / 255, 200 / 255]));
    const out = applyInverseResponse(img, { inverse: [resp.inverse[0]], source: 't' });
    expect(out.kind).toBe('hdr');
    expect(out.data[0]).toBeCloseTo((64 / 255) ** 2, 6);
    expect(out.data[1]).toBeCloseTo((200 / 255) ** 2, 6);
    expect(() => applyInverseResponse(img, resp)).toThrow(InvalidInputError);
  });

  it('clamps out-of-range and NaN input', () => {
    const img = createLdr(3, 1, 1, new Float32Array([-0.5, NaN, 7]));
    const out = applyInverseResponse(img, gammaResponse(2.2));
    expect(Array.from(out.data)).toEqual([
      gammaResponse(2.2).inverse[0][0],
      gammaResponse(2.2).inverse[0][0],
      1,
    ]);
  });

  it('forward maps table entries to their codes and round-trips exposure', () => {
    const resp = srgbResponse();
    const fwd = forwardResponse(resp);
    for (const z of [1, 17, 128, 254])
      expect(fwd.value(resp.inverse[0][z])).toBeCloseTo(z / 255, 6);
    expect(fwd.value(0)).toBe(0);
    expect(fwd.value(NaN)).toBe(0);
    expect(fwd.value(5)).toBe(1);
    // Between codes the forward curve is the sRGB encode within a fraction of a code.
    for (const x of [0.001, 0.05, 0.18, 0.7]) {
      const exact = x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055;
      expect(Math.abs(fwd.value(x) - exact)).toBeLessThan(0.2 / 255);
    }
    const n = 1000;
    const lin = new Float32Array(n * 3);
    for (let i = 0; i < lin.length; i++) lin[i] = 0.002 + (0.99 * i) / lin.length;
    const ldr = fwd.apply(createHdr(n, 1, 3, lin), 16, true);
    expect(ldr.bitDepth).toBe(16);
    const back = applyInverseResponse(ldr, resp);
    for (let i = 0; i < lin.length; i++) {
      expect(Math.abs(back.data[i] - lin[i]) / lin[i]).toBeLessThan(0.01);
    }
  });
});

describe('responseRmsError', () => {
  it('ignores a global scale and measures relative exposure error', () => {
    const a = gammaResponse(2.2);
    const scaled = { inverse: [a.inverse[0].map((v) => v * 7.5)], source: 's' };
    expect(responseRmsError(a, scaled)).toBeLessThan(1e-6);
    // A uniform +1 % / −1 % alternating error has RMS 1 % after removing the (≈ 0) mean.
    const wobble = {
      inverse: [a.inverse[0].map((v, z) => v * (z % 2 ? 1.01 : 1 / 1.01))],
      source: 'w',
    };
    expect(responseRmsError(a, wobble)).toBeCloseTo(0.01, 3);
    expect(responseRmsError(gammaResponse(2.2), gammaResponse(2.4))).toBeGreaterThan(0.02);
  });
});
