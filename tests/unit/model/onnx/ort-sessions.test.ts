import { describe, expect, it } from 'vitest';
import { GraphBuilder, loadOrt } from '../../../../src/core/model/onnx/index.js';
import { ExclusiveSessions } from '../../../../src/core/model/onnx/ort-sessions.js';

/** y = x + k on a float vector of any length. */
function addGraph(k: number): Uint8Array {
  const g = new GraphBuilder(`add${k}`);
  g.output(g.node('Add', [g.input('x', ['n']), g.scalar(k)], {}, 'y'), ['n']);
  return g.toModel();
}

describe('ExclusiveSessions', () => {
  const options = { executionProviders: ['cpu'], intraOpNumThreads: 1 };

  it('keeps only the graph in use resident and runs each one correctly', async () => {
    const ort = await loadOrt();
    const s = new ExclusiveSessions(ort, { one: addGraph(1), two: addGraph(2) }, options);
    await s.validate('one');
    expect(s.resident()).toEqual(['one']);
    const x = new ort.Tensor('float32', new Float32Array([0.5, 1.5]), [2]);
    expect(Array.from((await s.run('two', { x })).y.data as Float32Array)).toEqual([2.5, 3.5]);
    expect(s.resident()).toEqual(['two']);
    expect(Array.from((await s.run('one', { x })).y.data as Float32Array)).toEqual([1.5, 2.5]);
    expect(s.resident()).toEqual(['one']);
    await s.release();
    expect(s.resident()).toEqual([]);
  });

  it('does not release a session while it runs; releases it once idle', async () => {
    const ort = await loadOrt();
    const s = new ExclusiveSessions(ort, { one: addGraph(1), two: addGraph(2) }, options);
    const x = new ort.Tensor('float32', new Float32Array(1 << 20).fill(1), [1 << 20]);
    const [a, b] = await Promise.all([s.run('one', { x }), s.run('two', { x })]);
    expect((a.y.data as Float32Array)[7]).toBe(2);
    expect((b.y.data as Float32Array)[7]).toBe(3);
    expect(s.resident()).toEqual(['two']);
    await s.release();
  });

  it('names a graph ONNX Runtime rejects when validating', async () => {
    const ort = await loadOrt();
    const broken = new Uint8Array([1, 2, 3, 4]);
    const s = new ExclusiveSessions(ort, { good: addGraph(1), bad: broken }, options);
    await expect(s.validate('good')).rejects.toThrow(/^ONNX graph bad: /);
    await s.release();
    expect(s.resident()).toEqual([]);
  });
});
