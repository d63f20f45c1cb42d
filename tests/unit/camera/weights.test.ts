import { describe, expect, it } from 'vitest';
import { toCode } from '../../../src/core/camera/response.js';
import { gaussianWeights, hatWeights } from '../../../src/core/camera/weights.js';

describe('weights', () => {
  it('hat is z − 0 below the middle and 255 − z above', () => {
    const w = hatWeights();
    expect(w).toHaveLength(256);
    expect([w[0], w[1], w[127], w[128], w[254], w[255]]).toEqual([0, 1, 127, 127, 1, 0]);
  });
  it('gaussian is 0 at the ends, 1 at the middle, symmetric', () => {
    const w = gaussianWeights();
    expect(w[0]).toBeCloseTo(0, 12);
    expect(w[255]).toBeCloseTo(0, 12);
    expect(w[127]).toBeGreaterThan(0.99);
    for (let z = 0; z < 256; z++) expect(w[z]).toBeCloseTo(w[255 - z], 12);
  });
});

describe('weights as the merges use them', () => {
  it('hat: 0 at the ends, 1 at mid-grey, symmetric', () => {
    const w = hatWeights();
    expect(w[0]).toBe(0);
    expect(w[255]).toBe(0);
    expect(w[127]).toBe(127);
    for (let z = 0; z < 256; z++) expect(w[z]).toBeCloseTo(w[255 - z], 6);
  });
  it('Robertson: 0 at the ends, ≈1 at mid-grey, e⁻¹-ish at a quarter', () => {
    const w = gaussianWeights();
    expect(w[0]).toBeCloseTo(0, 6);
    expect(w[255]).toBeCloseTo(0, 6);
    expect(w[127]).toBeGreaterThan(0.999);
    const e4 = Math.exp(-4);
    // z = 63.75 → u = −0.5 → exp(−1)
    expect(w[64]).toBeCloseTo((Math.exp(-4 * ((64 - 127.5) / 127.5) ** 2) - e4) / (1 - e4), 6);
  });
  it('quantises to codes, NaN-safe', () => {
    expect(toCode(0)).toBe(0);
    expect(toCode(1)).toBe(255);
    expect(toCode(0.5)).toBe(128);
    expect(toCode(-3)).toBe(0);
    expect(toCode(7)).toBe(255);
    expect(toCode(NaN)).toBe(0);
  });
});
