import { describe, expect, it } from 'vitest';
import { getOperator, listOperators, toneMap } from '../../../src/core/tonemap/registry.js';
import { srgbEncodeValue } from '../../../src/core/tonemap/display.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import { createHdr } from '../../../src/core/image/image.js';
import { allInUnit, nasty, texture } from './helpers.js';

/** Parameter values that put a parameter in the regime where it acts. */
const CONTEXT: Record<string, Record<string, Record<string, number>>> = {
  reinhard02: { phi: { mode: 1 }, epsilon: { mode: 1 } },
};

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('registry', () => {
  it('lists operators with unique ids and sane metas', () => {
    const metas = listOperators();
    const ids = metas.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['reinhard02', 'drago03', 'reinhard05', 'mulaw', 'clip'])
      expect(ids).toContain(id);
    for (const m of metas) {
      for (const p of m.params) {
        expect(p.min, `${m.id}.${p.key}`).toBeLessThanOrEqual(p.default);
        expect(p.default, `${m.id}.${p.key}`).toBeLessThanOrEqual(p.max);
        expect(p.step).toBeGreaterThan(0);
        expect(p.label.length).toBeGreaterThan(0);
      }
    }
  });
  it('unknown ids list the known ones', () => {
    expect(() => getOperator('nope')).toThrow(InvalidInputError);
    expect(() => getOperator('nope')).toThrow(/known: .*drago03/);
  });
  it('every operator: output in [0, 1] and finite, also for NaN/Inf/negative input', () => {
    for (const m of listOperators()) {
      for (const img of [texture(), nasty()]) {
        const out = toneMap(img, m.id);
        expect(out.channels).toBe(3);
        expect(allInUnit(out.data), m.id).toBe(true);
      }
    }
  });
  it('every parameter changes the output', () => {
    const img = texture();
    for (const m of listOperators()) {
      for (const p of m.params) {
        const ctx = CONTEXT[m.id]?.[p.key] ?? {};
        const base = toneMap(img, m.id, ctx).data;
        // Either extreme must act (an iteration cap, say, only bites at its low end).
        const diff = Math.max(
          ...[p.min, p.max]
            .filter((v) => v !== p.default)
            .map((v) => maxDiff(base, toneMap(img, m.id, { ...ctx, [p.key]: v }).data)),
        );
        expect(diff, `${m.id}.${p.key}`).toBeGreaterThan(1e-3);
      }
    }
  });
  it('validates parameters and adjustments', () => {
    const img = texture(8, 8);
    expect(() => toneMap(img, 'drago03', { bias: 2 })).toThrow(/out of range \[0.5, 1\]/);
    expect(() => toneMap(img, 'drago03', { foo: 1 })).toThrow(/valid: bias/);
    expect(() => toneMap(img, 'drago03', { bias: 'x' })).toThrow(InvalidInputError);
    expect(() => toneMap(img, 'drago03', {}, { gamma: 0 })).toThrow(/out of range/);
    expect(toneMap(img, 'drago03', { bias: '0.7' }).width).toBe(8);
  });
  it('applies exposure, saturation and gamma in the display stage', () => {
    const img = createHdr(1, 1, 3, new Float32Array([0.1, 0.1, 0.1]));
    expect(toneMap(img, 'clip', {}, { exposure: 1 }).data[0]).toBeCloseTo(srgbEncodeValue(0.2), 4);
    const g = toneMap(img, 'clip', {}, { gamma: 2 }).data[0];
    expect(g).toBeCloseTo(Math.sqrt(srgbEncodeValue(0.1)), 4);
    const col = createHdr(1, 1, 3, new Float32Array([0.5, 0.1, 0.1]));
    const grey = toneMap(col, 'clip', {}, { saturation: 0 }).data;
    expect(grey[0]).toBeCloseTo(grey[1], 6);
    expect(grey[1]).toBeCloseTo(grey[2], 6);
  });
  it('handles 1-channel input', () => {
    const img = createHdr(
      4,
      4,
      1,
      new Float32Array(16).map((_, i) => i / 4),
    );
    for (const m of listOperators()) expect(allInUnit(toneMap(img, m.id).data)).toBe(true);
  });
});
