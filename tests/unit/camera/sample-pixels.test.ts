import { describe, expect, it } from 'vitest';
import { gridSamples, samplePixels } from '../../../src/core/camera/sample-pixels.js';
import { createLdr } from '../../../src/core/image/image.js';
import { renderBracket, stopTimes, syntheticRadiance } from './synthetic-bracket.js';

describe('samplePixels', () => {
  const W = 120;
  const H = 80;
  const frames = renderBracket(syntheticRadiance(W, H), W, H, stopTimes(2), (x) =>
    Math.min(1, Math.sqrt(x)),
  );

  it('grid: about N distinct in-bounds points', () => {
    const g = gridSamples(W, H, 70);
    expect(g.length).toBeGreaterThanOrEqual(60);
    expect(g.length).toBeLessThanOrEqual(80);
    expect(new Set(g).size).toBe(g.length);
    for (const i of g) expect(i).toBeLessThan(W * H);
  });

  it('stratified: N distinct points spanning the radiance range, deterministic', () => {
    const s = samplePixels(frames, 70);
    expect(s).toHaveLength(70);
    expect(new Set(s).size).toBe(70);
    expect(Array.from(samplePixels(frames, 70))).toEqual(Array.from(s));
    // The scene is a left-to-right log gradient: samples must cover most of the width.
    const xs = Array.from(s, (i) => i % W);
    expect(Math.min(...xs)).toBeLessThan(W * 0.1);
    expect(Math.max(...xs)).toBeGreaterThan(W * 0.9);
  });

  it('works on flat and tiny images', () => {
    const flat = [createLdr(40, 30, 3), createLdr(40, 30, 3)];
    expect(new Set(samplePixels(flat, 50)).size).toBe(50);
    const tiny = [createLdr(2, 2, 1), createLdr(2, 2, 1)];
    expect(samplePixels(tiny, 10).length).toBeGreaterThan(0);
  });
});
