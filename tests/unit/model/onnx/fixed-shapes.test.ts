import { createRequire } from 'node:module';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, loadOrt } from '../../../../src/core/model/onnx/index.js';
import {
  FIXED_GRAPHS_PER_RUNNER,
  FixedShapeGraphs,
  HeldGraphs,
  withFixedShapes,
} from '../../../../src/core/model/onnx/fixed-shapes.js';
import { inProcessRunner } from '../../../../src/core/model/onnx/graph-runner.js';
import { OrtWorkerPool } from '../../../../src/core/model/onnx/ort-worker-pool.js';

const { onnx } = onnxProto;

/** y[n,c,h,w] = a + b·k over images of any size (c = 2), with the symbols of the runtime graphs. */
function pairGraph(k: number): Uint8Array {
  const g = new GraphBuilder(`pair${k}`);
  const a = g.input('a', ['N', 2, 'H', 'W']);
  const b = g.input('b', ['N', 2, 'H', 'W']);
  g.output(g.node('Add', [a, g.node('Mul', [b, g.scalar(k)])], {}, 'y'), ['N', 2, 'H', 'W']);
  return g.toModel();
}

/** The dims of a graph's inputs and outputs as written: sizes, or symbols. */
function declared(bytes: Uint8Array): Record<string, (number | string)[]> {
  const graph = onnx.ModelProto.decode(bytes).graph!;
  return Object.fromEntries(
    [...graph.input!, ...graph.output!].map((v) => [
      v.name!,
      v.type!.tensorType!.shape!.dim!.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue))),
    ]),
  );
}

const feed = (dims: number[], f: (i: number) => number) => ({
  data: Float32Array.from({ length: dims.reduce((x, y) => x * y, 1) }, (_, i) => f(i)),
  dims,
});

describe('withFixedShapes', () => {
  it('replaces every symbol an input fixes, in inputs and outputs alike', () => {
    const fixed = withFixedShapes(pairGraph(1), { a: [1, 2, 4, 6] });
    expect(declared(pairGraph(1))).toEqual({
      a: ['N', 2, 'H', 'W'],
      b: ['N', 2, 'H', 'W'],
      y: ['N', 2, 'H', 'W'],
    });
    expect(declared(fixed)).toEqual({ a: [1, 2, 4, 6], b: [1, 2, 4, 6], y: [1, 2, 4, 6] });
  });

  it('names the graph and the input when the dims cannot fit', () => {
    const bytes = pairGraph(1);
    expect(() => withFixedShapes(bytes, { c: [1] })).toThrow(/pair1: no input c/);
    expect(() => withFixedShapes(bytes, { a: [1, 2, 4] })).toThrow(/pair1: input a has rank 4/);
    expect(() => withFixedShapes(bytes, { a: [1, 3, 4, 4] })).toThrow(
      /pair1: input a is \[N,2,H,W\], fed \[1,3,4,4\]/,
    );
    expect(() => withFixedShapes(bytes, { a: [1, 2, 4, 4], b: [1, 2, 8, 4] })).toThrow(
      /pair1: H is 4 and 8/,
    );
  });

  it('gives a graph that ONNX Runtime runs at that shape only, with the same results', async () => {
    const ort = await loadOrt();
    const symbolic = await ort.InferenceSession.create(pairGraph(3));
    const fixed = await ort.InferenceSession.create(
      withFixedShapes(pairGraph(3), { a: [1, 2, 2, 4], b: [1, 2, 2, 4] }),
    );
    try {
      const a = new ort.Tensor('float32', feed([1, 2, 2, 4], (i) => i).data, [1, 2, 2, 4]);
      const b = new ort.Tensor('float32', feed([1, 2, 2, 4], (i) => 0.5 - i).data, [1, 2, 2, 4]);
      const want = (await symbolic.run({ a, b })).y.data as Float32Array;
      expect(Array.from((await fixed.run({ a, b })).y.data as Float32Array)).toEqual(
        Array.from(want),
      );
      const wide = new ort.Tensor('float32', new Float32Array(32), [1, 2, 2, 8]);
      await expect(fixed.run({ a: wide, b: wide })).rejects.toThrow(/dimensions/i);
      await expect(symbolic.run({ a: wide, b: wide })).resolves.toBeDefined();
    } finally {
      await symbolic.release();
      await fixed.release();
    }
  });
});

describe('FixedShapeGraphs', () => {
  it('makes one graph per key and feed dims, keeping the most recently used', () => {
    const graphs = new FixedShapeGraphs({ up: pairGraph(1), down: pairGraph(2) }, 2);
    const small = { a: { dims: [1, 2, 2, 2] }, b: { dims: [1, 2, 2, 2] } };
    const large = { b: { dims: [1, 2, 4, 4] }, a: { dims: [1, 2, 4, 4] } };
    const first = graphs.get('up', small);
    expect(first.name).toBe('up[a=1x2x2x2,b=1x2x2x2]');
    expect(graphs.get('up', small)).toBe(first);
    expect(graphs.get('up', large).name).toBe('up[a=1x2x4x4,b=1x2x4x4]');
    expect(graphs.get('down', small).name).toBe('down[a=1x2x2x2,b=1x2x2x2]');
    // two kept: the small 'up' graph was the least recently used, so it is made again
    expect(graphs.get('up', small)).not.toBe(first);
    expect(declared(graphs.get('up', small).bytes).y).toEqual([1, 2, 2, 2]);
  });
});

describe('HeldGraphs', () => {
  it('adds a graph once and names the oldest to drop when full', () => {
    const held = new HeldGraphs();
    const names = Array.from({ length: FIXED_GRAPHS_PER_RUNNER }, (_, i) => `g${i}`);
    for (const n of names) expect(held.hold(n)).toEqual({ added: true, drop: undefined });
    expect(held.hold('g1')).toEqual({ added: false });
    expect(held.hold('new')).toEqual({ added: true, drop: 'g0' });
    expect(held.hold('g0')).toEqual({ added: true, drop: 'g1' });
  });
});

describe('runners with fixed shapes', () => {
  const options = {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    logSeverityLevel: 3 as const,
  };
  const graphs = { encode: pairGraph(1), up: pairGraph(3), down: pairGraph(-1) };
  // more shapes than a runner keeps defined (4), then the first again: it is sent again
  const sides = [2, 4, 6, 8, 10, 2, 4];
  const expected = (side: number, k: number) => {
    const a = feed([1, 2, side, side], (i) => i);
    const b = feed([1, 2, side, side], (i) => 1 - i / 8);
    return { feeds: { a, b }, want: a.data.map((v, i) => v + k * b.data[i]) };
  };

  it('a worker pool runs each shape on its own graph, resending one it made a worker forget', async () => {
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    const pool = await OrtWorkerPool.create(
      ortPath,
      graphs,
      options,
      1,
      null,
      new FixedShapeGraphs(graphs),
    );
    try {
      for (const side of sides) {
        const { feeds, want } = expected(side, 3);
        expect(Array.from(await pool.run('up', feeds, 'y'))).toEqual(Array.from(want));
      }
      await expect(
        pool.run('up', { a: feed([1, 2, 2, 2], () => 0), b: feed([1, 2, 4, 4], () => 0) }, 'y'),
      ).rejects.toThrow(/H is 2 and 4/);
      // the pool goes on after a feed it could not fix
      const { feeds, want } = expected(2, -1);
      expect(Array.from(await pool.run('down', feeds, 'y'))).toEqual(Array.from(want));
    } finally {
      await pool.release();
    }
  });

  it('the in-thread runner does the same', async () => {
    const ort = await loadOrt();
    const runner = await inProcessRunner(ort, graphs, options, new FixedShapeGraphs(graphs));
    try {
      for (const side of sides) {
        const { feeds, want } = expected(side, -1);
        expect(Array.from(await runner.run('down', feeds, 'y'))).toEqual(Array.from(want));
      }
    } finally {
      await runner.release();
    }
  });
});
