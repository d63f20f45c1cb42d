import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../../src/core/model/nn/gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScheduledAdam } from '../../../../src/core/model/train/optimizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One Adam step on f(x) = Σ (x − target)² for variable `v`. */
function step(opt: ScheduledAdam, v: tf.Variable, target: number[]): void {
  opt.minimize(() => tf.sum(tf.square(tf.sub(v, tf.tensor1d(target)))) as tf.Scalar, false, [v]);
}

describe('ScheduledAdam', () => {
  it('moves each weight by the learning rate on its first step (Adam: lr · sign(g))', () => {
    const opt = new ScheduledAdam(0.1);
    const v = tf.variable(tf.tensor1d([1, -2]), true, 'sched-adam-first');
    opt.setLearningRate(0.05);
    expect(opt.getLearningRate()).toBe(0.05);
    step(opt, v, [0, 0]);
    const x = v.dataSync();
    expect(x[0]).toBeCloseTo(0.95, 5);
    expect(x[1]).toBeCloseTo(-1.95, 5);
    opt.dispose();
    v.dispose();
  });

  it('rejects non-positive learning rates', () => {
    const opt = new ScheduledAdam(0.1);
    expect(() => opt.setLearningRate(0)).toThrow(/positive/);
    expect(() => opt.setLearningRate(Number.NaN)).toThrow(/positive/);
    opt.dispose();
  });

  it('continues identically after its state is exported and imported into a fresh optimizer', async () => {
    const target = [0.3, -0.7, 2];
    const a = new ScheduledAdam(0.02);
    const va = tf.variable(tf.tensor1d([1, 1, 1]), true, 'sched-adam-a');
    for (let i = 0; i < 5; i++) step(a, va, target);
    const state = await a.exportState();
    expect(state.iterations).toBe(5);
    expect(state.slots.map((s) => s.name)).toEqual(['sched-adam-a/m', 'sched-adam-a/v']);

    const b = new ScheduledAdam(0.02);
    const vb = tf.variable(tf.tensor1d(Array.from(va.dataSync())), true, 'sched-adam-b');
    await b.importState(state);
    for (let i = 0; i < 3; i++) {
      step(a, va, target);
      step(b, vb, target);
    }
    // Import recomputes Adam's accumulated β^t as a power, which may differ from the running
    // product in the last bit; everything else is restored exactly.
    const xa = va.dataSync();
    const xb = vb.dataSync();
    for (let i = 0; i < 3; i++) expect(xb[i]).toBeCloseTo(xa[i], 6);
    // an optimizer that has already made updates refuses imported state
    const c = new ScheduledAdam(0.02);
    const vc = tf.variable(tf.tensor1d([1, 1, 1]), true, 'sched-adam-c');
    for (let i = 0; i < 5; i++) step(c, vc, target);
    await expect(c.importState(state)).rejects.toThrow(/before the first update/);
    for (const o of [a, b, c]) o.dispose();
    for (const v of [va, vb, vc]) v.dispose();
  });
});
