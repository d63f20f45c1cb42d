/** Histogram bins of known pixels (answers counted by hand). */
import { describe, expect, it } from 'vitest';
import {
  computeHistogram,
  emptyHistogram,
  logHeights,
  maxBin,
} from '../../../src/renderer/src/lib/histogram.js';

describe('computeHistogram', () => {
  it('counts RGBA pixels per channel and Rec. 709 luma, ignoring alpha', () => {
    // white, black, pure red, pure green, pure blue, (10, 20, 30)
    const px = new Uint8Array([
      255, 255, 255, 7, 0, 0, 0, 9, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 1,
    ]);
    const h = computeHistogram(px, 4);
    expect(h.count).toBe(6);
    expect(h.r[255]).toBe(2);
    expect(h.r[0]).toBe(3);
    expect(h.r[10]).toBe(1);
    expect(h.g[20]).toBe(1);
    expect(h.b[30]).toBe(1);
    // luma = (54R + 183G + 19B + 128) >> 8: white 255, black 0, red 54, green 182, blue 19,
    // (10, 20, 30): (540 + 3660 + 570 + 128) >> 8 = 4898 >> 8 = 19
    expect(h.l[255]).toBe(1);
    expect(h.l[0]).toBe(1);
    expect(h.l[54]).toBe(1);
    expect(h.l[182]).toBe(1);
    expect(h.l[19]).toBe(2);
    for (const a of [h.r, h.g, h.b, h.l]) expect(a.reduce((s, v) => s + v, 0)).toBe(6);
    expect(maxBin(h)).toBe(3);
  });

  it('treats grey as R = G = B = luma and reuses the output bins', () => {
    const out = emptyHistogram();
    computeHistogram(new Uint8Array([200, 200, 200]), 3, out); // stale counts to overwrite
    const h = computeHistogram(new Uint8Array([0, 128, 128, 255]), 1, out);
    expect(h.r).toBe(out.r);
    expect(h.count).toBe(4);
    for (const a of [h.r, h.g, h.b, h.l]) {
      expect([a[0], a[128], a[255], a[200]]).toEqual([1, 2, 1, 0]);
    }
  });

  it('counts a 2-MP RGBA frame in a few ms', () => {
    const n = 1920 * 1080;
    const px = new Uint8Array(n * 4);
    for (let i = 0; i < px.length; i++) px[i] = (i * 31) & 255;
    const out = emptyHistogram();
    computeHistogram(px, 4, out); // warm-up (JIT)
    const t0 = performance.now();
    const h = computeHistogram(px, 4, out);
    const ms = performance.now() - t0;
    console.log(`histogram of a 1920×1080 frame: ${ms.toFixed(1)} ms`);
    expect(h.count).toBe(n);
    expect(ms).toBeLessThan(200); // a few ms on an idle desktop; loose for a loaded 2-core box
  });
});

describe('logHeights', () => {
  it('maps counts to log(1 + c)/log(1 + max)', () => {
    const bins = new Uint32Array(256);
    bins[0] = 99;
    bins[1] = 9;
    const h = logHeights(bins, 99);
    expect(h[0]).toBeCloseTo(1, 6);
    expect(h[1]).toBeCloseTo(Math.log(10) / Math.log(100), 6); // 0.5
    expect(h[2]).toBe(0);
    expect(logHeights(bins, 0)[0]).toBe(0);
  });
});
