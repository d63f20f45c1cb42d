/**
 * Adam with a settable learning rate (for the schedule) and its state as plain arrays (for
 * checkpoints). The moments are tfjs's own; only the learning rate and (de)serialisation are ours.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../errors.js';

/** One named float32 tensor as plain data. */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Adam (β1 0.9, β2 0.999, ε 1e-8) whose learning rate the training loop sets every step. */
export class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999, 1e-8);
  }

  /** Sets the learning rate used by the next `applyGradients`. */
  setLearningRate(lr: number): void {
    if (!(lr > 0) || !Number.isFinite(lr)) {
      throw new InvalidInputError(`learning rate must be a positive number, got ${lr}`);
    }
    this.learningRate = lr;
  }

  /** The learning rate the next update will use. */
  getLearningRate(): number {
    return this.learningRate;
  }

  /** Iteration count and first/second moments as plain arrays (empty before the first step). */
  async exportState(): Promise<{ iterations: number; slots: NamedArray[] }> {
    const weights = await this.getWeights();
    const [iter, ...slots] = weights;
    const iterations = (await iter.tensor.data())[0];
    iter.tensor.dispose();
    const out: NamedArray[] = [];
    for (const s of slots) {
      out.push({
        name: s.name,
        shape: [...s.tensor.shape],
        data: Float32Array.from(await s.tensor.data()),
      });
    }
    return { iterations, slots: out };
  }

  /**
   * Restores what {@link exportState} returned into a fresh optimizer (one that has made no
   * update yet). The slot order must match the order of the variables the loop passes to
   * `applyGradients` (the model's trainable variables).
   */
  async importState(state: { iterations: number; slots: readonly NamedArray[] }): Promise<void> {
    if (state.slots.length % 2 !== 0) {
      throw new InvalidInputError(
        `optimizer state: odd number of moment slots (${state.slots.length})`,
      );
    }
    const current = await this.getWeights();
    for (const w of current.slice(0, 1)) w.tensor.dispose();
    if (current.length > 1) {
      throw new InvalidInputError('optimizer state can only be imported before the first update');
    }
    const named: Parameters<tf.AdamOptimizer['setWeights']>[0] = [
      { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') },
      ...state.slots.map((s) => ({ name: s.name, tensor: tf.tensor(s.data, [...s.shape]) })),
    ];
    await this.setWeights(named);
    for (const n of named) n.tensor.dispose();
  }
}
