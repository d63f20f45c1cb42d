import { describe, expect, it } from 'vitest';
import {
  PairBatcher,
  makePairBatch,
  makeValidationStacks,
} from '../../../../src/core/model/data/batch.js';
import { synthPair } from '../../../../src/core/model/data/synth-stack.js';
import { gentlePanorama, scenePanorama, source } from './fixtures.js';

const sources = [source('a.hdr', scenePanorama(128)), source('b.hdr', gentlePanorama(128))];
const synth = { size: 16 };
const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('pair batches', () => {
  it('packs B samples as [B, H, W, 3] in sample order', async () => {
    const b = await makePairBatch(sources, 4, 10, 3, synth);
    expect([b.size, b.height, b.width]).toEqual([3, 16, 16]);
    expect(b.input.length).toBe(3 * 16 * 16 * 3);
    expect(b.target.length).toBe(b.input.length);
    expect(b.ratio.length).toBe(3);
    const second = await synthPair(sources, 4, 11, synth);
    const n = 16 * 16 * 3;
    expect(bytes(b.input.subarray(n, 2 * n)).equals(bytes(second.input))).toBe(true);
    expect(bytes(b.target.subarray(n, 2 * n)).equals(bytes(second.target))).toBe(true);
    expect(b.ratio[1]).toBeCloseTo(second.ratio, 5);
    expect(b.evOffset[1]).toBeCloseTo(Math.log2(second.ratio), 5);
  });

  it('a batcher is deterministic, prefetches, and resumes exactly with startIndex', async () => {
    const one = new PairBatcher(sources, { batchSize: 2, seed: 3, synth });
    const b0 = await one.next();
    const b1 = await one.next();
    expect(one.samplesConsumed).toBe(6); // two returned + one prefetched
    expect([b0.firstIndex, b1.firstIndex]).toEqual([0, 2]);
    const again = new PairBatcher(sources, { batchSize: 2, seed: 3, synth });
    expect(bytes((await again.next()).input).equals(bytes(b0.input))).toBe(true);
    const resumed = new PairBatcher(sources, { batchSize: 2, seed: 3, synth, startIndex: 2 });
    const r = await resumed.next();
    expect(bytes(r.input).equals(bytes(b1.input))).toBe(true);
    expect(Array.from(r.ratio)).toEqual(Array.from(b1.ratio));
    let k = 0;
    for await (const batch of new PairBatcher(sources, { batchSize: 1, synth })) {
      expect(batch.size).toBe(1);
      if (++k === 3) break;
    }
    expect(() => new PairBatcher([], {})).toThrow();
    expect(() => new PairBatcher(sources, { batchSize: 0 })).toThrow();
  });

  it('validation stacks: perSource per source, deterministic', async () => {
    const a = await makeValidationStacks(sources, 1, 2, synth);
    const b = await makeValidationStacks(sources, 1, 2, synth);
    expect(a.map((s) => s.source)).toEqual(['a.hdr', 'a.hdr', 'b.hdr', 'b.hdr']);
    a.forEach((s, i) => expect(bytes(s.frames[3]).equals(bytes(b[i].frames[3]))).toBe(true));
    expect(bytes(a[0].frames[3]).equals(bytes(a[1].frames[3]))).toBe(false);
  });
});
