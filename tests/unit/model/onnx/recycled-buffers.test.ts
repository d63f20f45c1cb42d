import { describe, expect, it } from 'vitest';
import { RecycledBuffers } from '../../../../src/core/model/onnx/recycled-buffers.js';

describe('RecycledBuffers', () => {
  it('gives back a kept buffer of the asked length, else a new one', () => {
    const r = new RecycledBuffers();
    const a = r.take(6);
    expect(a).toEqual(new Float32Array(6));
    a.fill(3);
    r.give(a);
    r.give(a); // twice: kept once
    expect(r.size).toBe(1);
    expect(r.take(5)).not.toBe(a); // other lengths are separate
    expect(r.take(6)).toBe(a);
    expect(r.size).toBe(0);
    // one length at a time: a buffer of another length drops the kept ones
    r.give(a);
    r.give(new Float32Array(7));
    expect(r.size).toBe(1);
    expect(r.take(6)).not.toBe(a);
  });

  it('keeps the whole buffer under a view, skips detached ones, and stops at its cap', () => {
    const r = new RecycledBuffers(2);
    const whole = new Float32Array(10);
    r.give(whole.subarray(2, 5));
    expect(r.take(10).buffer).toBe(whole.buffer);
    const moved = new Float32Array(4);
    structuredClone(moved, { transfer: [moved.buffer] });
    r.give(moved);
    expect(r.size).toBe(0);
    for (let i = 0; i < 3; i++) r.give(new Float32Array(4));
    expect(r.size).toBe(2);
    r.clear();
    expect(r.size).toBe(0);
  });

  it('allocates shared buffers when asked, and keeps them apart from plain ones', () => {
    const r = new RecycledBuffers(4);
    const a = r.take(8, true);
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.length).toBe(8);
    const p = r.take(8);
    expect(p.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    r.give(a.subarray(1, 3));
    r.give(p);
    expect(r.size).toBe(2);
    expect(r.take(8).buffer).toBe(p.buffer);
    expect(r.take(8).buffer).not.toBe(a.buffer); // no plain one left: a new one, never the shared
    expect(r.take(8, true).buffer).toBe(a.buffer);
  });
});
