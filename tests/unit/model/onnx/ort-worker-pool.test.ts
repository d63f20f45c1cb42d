import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/core/model/onnx/index.js';
import { OrtWorkerPool } from '../../../../src/core/model/onnx/ort-worker-pool.js';
import { RecycledBuffers } from '../../../../src/core/model/onnx/recycled-buffers.js';

const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
const options = { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 3 as const };

/** y = x·k on a float vector of any length. */
function scaleGraph(k: number): Uint8Array {
  const g = new GraphBuilder(`scale${k}`);
  g.output(g.node('Mul', [g.input('x', ['n']), g.scalar(k)], {}, 'y'), ['n']);
  return g.toModel();
}

const graphs = { encode: scaleGraph(2), up: scaleGraph(3), down: scaleGraph(-1) };

describe('OrtWorkerPool', () => {
  it('runs many calls on two workers at once, each with its own graph and feeds', async () => {
    const pool = await OrtWorkerPool.create(ortPath, graphs, options, 2);
    try {
      expect(pool.concurrency).toBe(2);
      const keys = ['encode', 'up', 'down', 'up', 'encode', 'down', 'up'] as const;
      const factor = { encode: 2, up: 3, down: -1 };
      const outs = await Promise.all(
        keys.map((key, i) =>
          pool.run(
            key,
            { x: { data: Float32Array.from({ length: 1000 }, (_, j) => i + j), dims: [1000] } },
            'y',
          ),
        ),
      );
      outs.forEach((out, i) => {
        expect(out.length).toBe(1000);
        expect(out[0]).toBe(i * factor[keys[i]]);
        expect(out[999]).toBe((i + 999) * factor[keys[i]]);
      });
    } finally {
      await pool.release();
    }
  });

  it('moves the feeds (their buffers are transferred) and rejects a missing output by name', async () => {
    const pool = await OrtWorkerPool.create(ortPath, graphs, options, 1);
    try {
      const data = new Float32Array([1, 2, 3]);
      await pool.run('up', { x: { data, dims: [3] } }, 'y');
      expect(data.length).toBe(0); // detached: the buffer went to the worker
      await expect(
        pool.run('up', { x: { data: new Float32Array(2), dims: [2] } }, 'nope'),
      ).rejects.toThrow(/ONNX graph up: no float32 output nope/);
      // the worker is still usable after an error
      const out = await pool.run('down', { x: { data: new Float32Array([4]), dims: [1] } }, 'y');
      expect(Array.from(out)).toEqual([-4]);
    } finally {
      await pool.release();
    }
    await expect(
      pool.run('up', { x: { data: new Float32Array(1), dims: [1] } }, 'y'),
    ).rejects.toThrow(/released/);
  });

  it('hands large feed buffers back for reuse once a run is done', async () => {
    const recycled = new RecycledBuffers();
    const pool = await OrtWorkerPool.create(ortPath, graphs, options, 1, recycled);
    try {
      const big = new Float32Array(1 << 16).fill(1); // 256 KiB
      const small = new Float32Array(8);
      await pool.run('encode', { x: { data: big, dims: [1 << 16] } }, 'y');
      await pool.run('encode', { x: { data: small, dims: [8] } }, 'y');
      expect(big.length).toBe(0); // moved away …
      expect(recycled.size).toBe(1); // … and back (the 32-byte one is not worth keeping)
      const again = recycled.take(1 << 16);
      expect(again.length).toBe(1 << 16);
      expect(again[0]).toBe(1); // the same memory, old contents
      expect(recycled.size).toBe(0);
    } finally {
      await pool.release();
    }
  });

  it('reads shared feeds in place, writes a shared destination, and recycles the feeds', async () => {
    const recycled = new RecycledBuffers(4);
    const pool = await OrtWorkerPool.create(ortPath, graphs, options, 2, recycled);
    try {
      const n = 1 << 16;
      const runs = [1, 2, 3, 4].map(async (i) => {
        const x = recycled.take(n, true);
        for (let j = 0; j < n; j++) x[j] = i + j;
        const into = recycled.take(n, true);
        const out = await pool.run('up', { x: { data: x, dims: [n] } }, 'y', {
          data: into,
          dims: [n],
        });
        expect(out).toBe(into);
        expect(out[0]).toBe(3 * i);
        expect(out[n - 1]).toBe(3 * (i + n - 1));
        expect(x.length).toBe(n); // not moved
        return x;
      });
      const feeds = await Promise.all(runs);
      // every feed went back to the recycled buffers once its run was done
      expect(recycled.size).toBe(4);
      const kept = new Set(Array.from({ length: 4 }, () => recycled.take(n, true).buffer));
      for (const x of feeds) expect(kept.has(x.buffer)).toBe(true);
      // the output written back into its own feed's buffer: that one is the caller's again
      const x = recycled.take(n, true).fill(5);
      const before = recycled.size;
      const out = await pool.run('down', { x: { data: x, dims: [n] } }, 'y', {
        data: x,
        dims: [n],
      });
      expect(out).toBe(x);
      expect(out[0]).toBe(-5);
      expect(out[n - 1]).toBe(-5);
      expect(recycled.size).toBe(before);
      // a destination of the wrong size is an error naming the graph, not a wrong answer
      await expect(
        pool.run('up', { x: { data: recycled.take(n, true), dims: [n] } }, 'y', {
          data: recycled.take(n - 1, true),
          dims: [n - 1],
        }),
      ).rejects.toThrow(/ONNX graph up: .*shape/);
    } finally {
      await pool.release();
    }
  });

  it('names a graph ONNX Runtime rejects and starts no pool', async () => {
    await expect(
      OrtWorkerPool.create(ortPath, { ...graphs, down: new Uint8Array([9, 9, 9]) }, options, 2),
    ).rejects.toThrow(/^ONNX graph down: /);
  });

  // the pool's first slot's worker (private): terminating it stands for a crash
  const workerOf = (pool: OrtWorkerPool): Worker =>
    (pool as unknown as { slots: { worker: Worker }[] }).slots[0].worker;
  const x = () => ({ x: { data: new Float32Array(1 << 16).fill(1), dims: [1 << 16] } });

  // (a worker cannot be made to crash inside a run here: terminating one inside ONNX Runtime's
  // native run aborts the process, which is why release waits for running jobs)
  it('replaces a worker that exits; later runs succeed on the new one', async () => {
    const pool = await OrtWorkerPool.create(ortPath, graphs, options, 1);
    try {
      const first = workerOf(pool);
      await first.terminate();
      await new Promise((r) => setTimeout(r, 20)); // let the exit be handled
      expect(workerOf(pool)).not.toBe(first);
      const out = await pool.run('up', x(), 'y');
      expect(out[5]).toBe(3);
    } finally {
      await pool.release();
    }
  });

  it('release waits for a running call, then ends the workers', async () => {
    const pool = await OrtWorkerPool.create(ortPath, graphs, options, 1);
    const big = { x: { data: new Float32Array(1 << 22).fill(2), dims: [1 << 22] } };
    const running = pool.run('encode', big, 'y');
    // the queued call is rejected during release: its expectation is attached first
    const queued = expect(pool.run('encode', x(), 'y')).rejects.toThrow(/released/);
    await pool.release();
    expect((await running)[7]).toBe(4);
    await queued;
  });

  it('stops replacing workers that keep exiting and says so', async () => {
    const pool = await OrtWorkerPool.create(ortPath, graphs, options, 1);
    // from now on a new worker fails as it starts (no native code runs in it)
    (pool as unknown as { spawn: () => Worker }).spawn = () =>
      new Worker('throw new Error("cannot start")', { eval: true });
    await workerOf(pool).terminate();
    await new Promise((r) => setTimeout(r, 300));
    await expect(pool.run('up', x(), 'y')).rejects.toThrow(/keep exiting/);
    await pool.release();
  });
});
