/** Evaluating and averaging synthetic held-out stacks (ground-truth HDR, own-calibrated oracle). */
import { describe, expect, it } from 'vitest';
import { synthStack } from '../../../../src/core/model/data/synth-stack.js';
import {
  aggregateResults,
  baselinePredictors,
  evaluateSynthStacks,
  type FramePredictor,
} from '../../../../src/core/model/eval/index.js';
import { gentlePanorama, source } from '../data/fixtures.js';
import { gammaStack } from './fixtures.js';

describe('evaluateSynthStacks', () => {
  it('calibrates an oracle per stack that beats naive, and averages per method and offset', async () => {
    const stacks = [gammaStack(64, 48, 0), gammaStack(64, 48, 0.5)];
    // all frames clipped: nothing constrains the response, so the stack is skipped
    const white = { ...gammaStack(16, 16), source: 'white' };
    white.frames = white.frames.map((f) => f.map(() => 1));
    const { aggregate, stacks: results } = await evaluateSynthStacks(
      [stacks[0], white, stacks[1]],
      baselinePredictors,
    );
    expect(results.map((r) => r.name)).toEqual(['gamma2.6-phase0#0', 'gamma2.6-phase0.5#2']);
    expect(aggregate.skipped.map((s) => s.name)).toEqual(['white#1']);
    expect(aggregate.skipped[0].reason).toMatch(/constrain/);
    expect(aggregate.count).toBe(2);
    expect(aggregate.methods).toEqual(['naive', 'oracle']);
    expect(aggregate.rows.map((r) => [r.offset, r.n])).toEqual(
      [-3, -2, -1, 1, 2, 3].map((o) => [o, 2]),
    );
    for (const row of aggregate.rows) {
      const [a, b] = results.map((r) => r.rows.find((x) => x.offset === row.offset)!.scores!);
      expect(row.scores!.oracle.psnr).toBeCloseTo((a.oracle.psnr + b.oracle.psnr) / 2, 10);
      expect(row.scores!.naive.ssim).toBeCloseTo((a.naive.ssim + b.naive.ssim) / 2, 10);
      // Debevec on the stack's own frames recovers the gamma-2.6 camera closely
      expect(row.scores!.oracle.psnr).toBeGreaterThan(45);
      if (Math.abs(row.offset) === 1) {
        expect(row.scores!.naive.psnr).toBeLessThan(row.scores!.oracle.psnr - 15);
      }
    }
    expect(aggregate.hdr?.reference).toBe('ground-truth');
    expect(aggregate.hdr?.n).toBe(2);
    expect(aggregate.hdr!.methods.oracle.muPsnr).toBeGreaterThan(
      aggregate.hdr!.methods.naive.muPsnr + 10,
    );
    expect(aggregate.hdr!.realBracket!.muPsnr).toBeGreaterThan(55);
  });

  it('takes SynthStack objects from the data pipeline', async () => {
    const s = await synthStack(source('gentle.exr', gentlePanorama(128)), 3, 0, {
      size: 32,
      noise: false,
      jpeg: false,
    });
    const truth: FramePredictor = async (_ref, evs) => evs.map((ev) => s.frames[s.evs.indexOf(ev)]);
    const { aggregate, stacks } = await evaluateSynthStacks([s], { truth }, { name: 'held-out' });
    expect(aggregate.name).toBe('held-out');
    expect(stacks[0].name).toBe('gentle.exr#0');
    expect(aggregate.rows.every((r) => r.scores!.truth.psnr === Infinity)).toBe(true);
    expect(aggregate.hdr!.methods.truth).toEqual(aggregate.hdr!.realBracket);
  });
});

describe('aggregateResults', () => {
  it('averages only the stacks that have an offset', () => {
    const base = {
      kind: 'stack' as const,
      width: 1,
      height: 1,
      region: null,
      referenceFile: null,
      referenceTime: null,
      methods: ['m'],
      hdr: null,
    };
    const a = {
      ...base,
      name: 'a',
      missing: [],
      rows: [
        { offset: -1, ev: -1, file: null, scores: { m: { psnr: 30, ssim: 0.9 } } },
        { offset: 1, ev: 1, file: null, scores: { m: { psnr: 20, ssim: 0.5 } } },
      ],
    };
    const b = {
      ...base,
      name: 'b',
      missing: [1],
      rows: [
        { offset: -1, ev: -1, file: null, scores: { m: { psnr: 40, ssim: 0.7 } } },
        { offset: 1, ev: null, file: null, scores: null },
      ],
    };
    const agg = aggregateResults([a, b], 'two');
    expect(agg.rows).toEqual([
      { offset: -1, n: 2, scores: { m: { psnr: 35, ssim: 0.8 } } },
      { offset: 1, n: 1, scores: { m: { psnr: 20, ssim: 0.5 } } },
    ]);
    expect(agg.hdr).toBeNull();
    expect(agg.stacks).toEqual(['a', 'b']);
  });
});
