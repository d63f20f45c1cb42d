import { describe, expect, it } from 'vitest';
import { RESPONSE_LEVELS } from '../../../../src/core/camera/response.js';
import { InvalidInputError } from '../../../../src/core/errors.js';
import {
  STACK_EVS,
  sampleSeed,
  synthPair,
  synthStack,
  type SynthOptions,
} from '../../../../src/core/model/data/synth-stack.js';
import { gentlePanorama, scenePanorama, source } from './fixtures.js';

const sources = [
  source('a/scene.hdr', scenePanorama(256)),
  source('b/gentle.hdr', gentlePanorama(256)),
];
const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const isCode = (v: number): boolean => Math.abs(v * 255 - Math.round(v * 255)) < 1e-4;
const small: SynthOptions = { size: 32 };

describe('synthPair', () => {
  it('same seed and index → identical bytes; different seed or index → different', async () => {
    const opts: SynthOptions = { size: 32, jpeg: { probability: 1, quality: [70, 95] } };
    const a = await synthPair(sources, 7, 3, opts);
    const b = await synthPair(sources, 7, 3, opts);
    expect(bytes(a.input).equals(bytes(b.input))).toBe(true);
    expect(bytes(a.target).equals(bytes(b.target))).toBe(true);
    expect(a.ratio).toBe(b.ratio);
    const c = await synthPair(sources, 8, 3, opts);
    const d = await synthPair(sources, 7, 4, opts);
    expect(bytes(a.input).equals(bytes(c.input))).toBe(false);
    expect(bytes(a.input).equals(bytes(d.input))).toBe(false);
    expect(sampleSeed(1, 2)).not.toBe(sampleSeed(2, 1));
  });

  it('ratio = 2^(evTarget − evInput), offsets in range, about half of them whole stops', async () => {
    let whole = 0;
    const n = 60;
    for (let i = 0; i < n; i++) {
      const p = await synthPair(sources, 1, i, { size: 8, jpeg: false });
      const delta = p.evTarget - p.evInput;
      expect(p.ratio).toBeCloseTo(2 ** delta, 10);
      expect(Math.abs(delta)).toBeGreaterThanOrEqual(0.25);
      expect(Math.abs(delta)).toBeLessThanOrEqual(3);
      expect(Math.abs(p.evInput)).toBeLessThanOrEqual(1);
      if (Number.isInteger(delta)) whole++;
      expect(p.input.every(isCode) && p.target.every(isCode)).toBe(true);
    }
    expect(whole).toBeGreaterThan(n * 0.3);
    expect(whole).toBeLessThan(n * 0.7);
  });

  it('noiseless, JPEG-free: the sampled inverse response recovers the exposure ratio', async () => {
    const opts: SynthOptions = {
      size: 48,
      noise: false,
      jpeg: false,
      inputEv: [0, 0],
      offset: [0.5, 1.5],
      level: [0.25, 0.35],
    };
    for (let k = 0; k < 12; k++) {
      const p = await synthPair([sources[1]], 5, k, opts);
      const inv = p.response.inverse.inverse[0];
      const ratios: number[] = [];
      for (let i = 0; i < p.input.length; i++) {
        const zi = Math.round(p.input[i] * 255);
        const zj = Math.round(p.target[i] * 255);
        if (zi < 40 || zi > 230 || zj < 40 || zj > 230) continue;
        ratios.push(inv[zj] / inv[zi]);
      }
      expect(ratios.length).toBeGreaterThan(100);
      ratios.sort((x, y) => x - y);
      const median = ratios[ratios.length >> 1];
      expect(Math.abs(Math.log2(median / p.ratio))).toBeLessThan(0.05);
      expect(inv.length).toBe(RESPONSE_LEVELS);
    }
  });

  it('rejects an empty source list and bad sizes', async () => {
    await expect(synthPair([], 1, 0)).rejects.toThrow(InvalidInputError);
    await expect(synthPair(sources, 1, 0, { size: 2 })).rejects.toThrow(InvalidInputError);
  });
});

describe('synthStack', () => {
  it('frames at EV −3…+3 are 8-bit, brighten with EV, and clip at +EV', async () => {
    for (let k = 0; k < 4; k++) {
      const s = await synthStack(sources[0], 2, k, { ...small, noise: false, jpeg: false });
      expect(s.evs).toEqual(STACK_EVS);
      expect(s.frames).toHaveLength(7);
      const means = s.frames.map((f) => f.reduce((a, v) => a + v, 0) / f.length);
      for (let i = 1; i < 7; i++) expect(means[i]).toBeGreaterThan(means[i - 1]);
      for (const f of s.frames) expect(f.every(isCode)).toBe(true);
      const clipped = (f: Float32Array): number => f.filter((v) => v === 1).length / f.length;
      expect(clipped(s.frames[6])).toBeGreaterThan(0.2);
      expect(clipped(s.frames[6])).toBeGreaterThan(clipped(s.frames[3]));
      expect(clipped(s.frames[0])).toBeLessThan(0.05);
      expect(s.linear.length).toBe(32 * 32 * 3);
    }
  });

  it('the reference exposure puts the chosen luminance quantile at the chosen level', async () => {
    const s = await synthStack(sources[1], 3, 0, {
      ...small,
      quantile: [0.5, 0.5],
      level: [0.25, 0.25],
      noise: false,
      jpeg: false,
    });
    const lum: number[] = [];
    for (let i = 0; i < s.linear.length; i += 3) {
      lum.push(0.2126 * s.linear[i] + 0.7152 * s.linear[i + 1] + 0.0722 * s.linear[i + 2]);
    }
    lum.sort((a, b) => a - b);
    expect(lum[Math.round(0.5 * (lum.length - 1))]).toBeCloseTo(0.25, 4);
  });

  it('is deterministic, with the JPEG round trip too', async () => {
    const opts: SynthOptions = { ...small, jpeg: { probability: 1, quality: [60, 90] } };
    const a = await synthStack(sources[0], 9, 1, opts);
    const b = await synthStack(sources[0], 9, 1, opts);
    expect(a.jpegQuality).not.toBeNull();
    a.frames.forEach((f, i) => expect(bytes(f).equals(bytes(b.frames[i]))).toBe(true));
    for (const f of a.frames) expect(f.every(isCode)).toBe(true);
  });
});
