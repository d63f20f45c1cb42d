import { readdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import {
  backendOrder,
  initBackend,
  resolveThreads,
} from '../../../../src/core/model/runtime/backend.js';
import { InvalidInputError } from '../../../../src/core/errors.js';

describe('backendOrder / resolveThreads', () => {
  it('keeps the default order and moves a preferred backend first', () => {
    expect(backendOrder()).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(backendOrder('cpu')).toEqual(['cpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm']);
    expect(backendOrder(' WASM ')[0]).toBe('wasm');
    expect(() => backendOrder('webgl')).toThrow(InvalidInputError);
  });
  it('clamps the thread count to 1…8', () => {
    expect(resolveThreads(0)).toBe(1);
    expect(resolveThreads(3)).toBe(3);
    expect(resolveThreads(99)).toBe(8);
    expect(resolveThreads(Number.NaN)).toBe(1);
  });
});

describe('initBackend', () => {
  it('selects threaded SIMD wasm with 2 threads and explains the skipped backends', async () => {
    const info = await initBackend({ threads: 2 });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(2);
    expect(getThreadsCount()).toBe(2);
    const names = info.skipped.map((s) => s.name);
    expect(names).toEqual(['tfjs-node-gpu', 'tfjs-node']);
    for (const s of info.skipped) expect(s.reason.length).toBeGreaterThan(0);
    // idempotent: same object, backend unchanged
    expect(await initBackend({ prefer: 'cpu' })).toBe(info);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('splits a convolution across 2 OS threads (per-thread CPU time, Linux)', async () => {
    await initBackend({ threads: 2 });
    if (process.platform !== 'linux') return; // /proc/self/task is Linux-only
    const x = tf.randomUniform([2, 96, 96, 32]) as tf.Tensor4D;
    const w = tf.randomUniform([3, 3, 32, 32]) as tf.Tensor4D;
    const once = () => {
      const y = tf.conv2d(x, w, 1, 'same');
      y.dataSync();
      y.dispose();
    };
    once();
    const before = threadTicks();
    const t0 = performance.now();
    while (performance.now() - t0 < 1200) once();
    const after = threadTicks();
    x.dispose();
    w.dispose();
    // CPU time per thread during the loop: the main thread and one pool worker share the work
    // (≈50/50 measured), whatever the machine's load. One thread would leave the others ≈0.
    const busy = [...after].map(([tid, t]) => t - (before.get(tid) ?? 0)).sort((a, b) => b - a);
    expect(busy.length).toBeGreaterThanOrEqual(2);
    expect(busy[1]!).toBeGreaterThan(0.25 * busy[0]!);
  });
});

/** utime+stime (clock ticks) of every thread of this process. */
function threadTicks(): Map<string, number> {
  const m = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(tid, Number(f[11]) + Number(f[12]));
    } catch {
      // thread exited meanwhile
    }
  }
  return m;
}
