/**
 * The GPU port of the global operators against the engine: the shader's steps run in JS
 * (shadePixel, line for line the GLSL) must reproduce core toneMap on the same HDR within
 * 1/255 mean and a few codes at worst (the engine uses tables and fast logs).
 */
import { describe, expect, it } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import { getOperator, resolveParams, toneMap } from '../../../src/core/tonemap/index.js';
import {
  glSupports,
  sceneStats,
  shadePixel,
  toneUniforms,
} from '../../../src/renderer/src/lib/tone-uniforms.js';

/** 64×48 HDR over ~14 stops with colour, a few black, NaN and Inf pixels. */
function scene(): ReturnType<typeof createHdr> {
  const w = 64;
  const h = 48;
  const d = new Float32Array(w * h * 3);
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < w * h; i++) {
    const v = 2 ** (-7 + 14 * rnd());
    d[i * 3] = v * (0.2 + rnd());
    d[i * 3 + 1] = v * (0.2 + rnd());
    d[i * 3 + 2] = v * (0.2 + rnd());
  }
  d.fill(0, 0, 9);
  d[30] = NaN;
  d[40] = Infinity;
  return createHdr(w, h, 3, d);
}

const CASES: [string, Record<string, number>, Record<string, number>][] = [
  ['drago03', {}, {}],
  ['drago03', { bias: 0.6, ldmax: 300, saturation: 0.7 }, { exposure: 1.3, saturation: 1.4 }],
  ['drago03', { paperGamma: 1 }, { gamma: 1.8 }],
  ['clip', { exposure: 2 }, { exposure: -0.5, saturation: 0.5 }],
  ['mulaw', { mu: 800 }, { gamma: 0.7 }],
  ['reinhard02', {}, {}],
  ['reinhard02', { key: 0.4, white: 3, saturation: 1.3 }, { exposure: 0.5 }],
];

describe('GPU tone mapping port', () => {
  it.each(CASES)('%s %j %j matches the engine', (op, params, adjust) => {
    const img = scene();
    const full = resolveParams(getOperator(op).meta, params);
    expect(glSupports(op, full)).toBe(true);
    const ref = toneMap(img, op, params, adjust).data;
    const u = toneUniforms(op, full, adjust, sceneStats(img.data));
    let sum = 0;
    let worst = 0;
    const n = img.width * img.height;
    for (let i = 0; i < n; i++) {
      const px = shadePixel(u, img.data[i * 3], img.data[i * 3 + 1], img.data[i * 3 + 2]);
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(Math.round(px[c] * 255) - Math.round(ref[i * 3 + c] * 255));
        sum += d;
        worst = Math.max(worst, d);
      }
    }
    expect(sum / (n * 3)).toBeLessThan(0.2);
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('leaves local operators and percentile modes to the server', () => {
    expect(glSupports('durand02', {})).toBe(false);
    expect(glSupports('reinhard02', { mode: 1 })).toBe(false);
    expect(glSupports('reinhard02', { mode: 0, white: 0, burn: 99 })).toBe(false);
    expect(glSupports('mulaw', { percentile: 99.5 })).toBe(false);
  });

  it('computes the statistics a priori', () => {
    // Two pixels: L = 1 and L = 4 (grey); log-average with δ = 4e-6 ≈ √(1·4) = 2.
    const st = sceneStats(new Float32Array([1, 1, 1, 4, 4, 4, -1, NaN, Infinity]));
    expect(st.lmax).toBeCloseTo(4, 6);
    expect(st.maxChannel).toBe(4);
    // Third pixel is black: mean ln = (ln(1+δ) + ln(4+δ) + ln δ)/3.
    const d = 4e-6;
    expect(st.logAvg).toBeCloseTo(
      Math.exp((Math.log(1 + d) + Math.log(4 + d) + Math.log(d)) / 3),
      9,
    );
  });
});
