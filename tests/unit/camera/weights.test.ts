import { describe, expect, it } from 'vitest';
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
