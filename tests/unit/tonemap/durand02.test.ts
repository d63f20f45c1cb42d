import { describe, expect, it } from 'vitest';
import { durand02 } from '../../../src/core/tonemap/durand02.js';
import {
  defaults,
  expectDisplayable,
  hostileScene,
  maxAbsDiff,
  rampScene,
  textureContrast,
} from './local-operator-helpers.js';

describe('durand02', () => {
  const W = 96;
  const H = 48;
  const scene = rampScene(W, H, 5, 0.25);

  it('maps a 5-decade scene into [0, 1] and is NaN/Inf/negative safe', () => {
    expectDisplayable(durand02.apply(scene, defaults(durand02)), W, H);
    expectDisplayable(durand02.apply(hostileScene(W, H), defaults(durand02)), W, H);
  });

  it('keeps the detail layer: the ±25 % texture stays visible in shadows and highlights', () => {
    const out = durand02.apply(scene, defaults(durand02));
    // Texture is a ±25 % luminance ripple: after sRGB at least a few code values in both ends.
    expect(textureContrast(out, 4, 24)).toBeGreaterThan(0.02);
    expect(textureContrast(out, 70, 90)).toBeGreaterThan(0.02);
    // detail = 0 removes it (only the smooth base remains).
    const flat = durand02.apply(scene, { ...defaults(durand02), detail: 0 });
    expect(textureContrast(flat, 4, 24)).toBeLessThan(textureContrast(out, 4, 24) / 3);
  });

  it('changes the output with every parameter', () => {
    const base = durand02.apply(scene, defaults(durand02));
    for (const p of durand02.meta.params) {
      const v = p.default === p.max ? p.min : Math.min(p.max, p.default + (p.max - p.min) / 3);
      const out = durand02.apply(scene, { ...defaults(durand02), [p.key]: v });
      expect(maxAbsDiff(out, base), p.key).toBeGreaterThan(1e-3);
    }
  });

  it('honours an aborted signal', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => durand02.apply(scene, defaults(durand02), { signal: ac.signal })).toThrow(
      /Cancelled/,
    );
  });
});
