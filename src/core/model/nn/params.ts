/**
 * A tiny named-parameter store for hand-written tfjs-core networks: every weight is a
 * `tf.Variable` registered under a unique dotted name (`n1.enc0.conv0.w`), initialised
 * deterministically from a seed with the engine's own PRNG (so the same seed gives the same
 * weights on every backend), counted, serialised by {@link ./weights-io.ts} and disposed at once.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gaussian, mulberry32 } from '../../camera/rng.js';
import type { Rng } from '../../camera/rng.js';
import { InvalidInputError } from '../../errors.js';

/** How a new parameter is filled. */
export type Init =
  | { kind: 'he' } // N(0, 2/fanIn): for layers followed by (Leaky)ReLU
  | { kind: 'glorot' } // N(0, 2/(fanIn+fanOut)): for linear / tanh outputs
  | { kind: 'const'; value: number };

/** One registered parameter. */
export interface ParamEntry {
  readonly name: string;
  readonly variable: tf.Variable;
  /** false for running statistics (batch-norm mean/var): excluded from gradients. */
  readonly trainable: boolean;
}

/** Fan-in and fan-out of a weight shape: conv [kh,kw,in,out] or dense [in,out]; 1-D: its size. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 4) {
    const rf = shape[0] * shape[1];
    return { fanIn: rf * shape[2], fanOut: rf * shape[3] };
  }
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const n = shape.reduce((a, b) => a * b, 1);
  return { fanIn: n, fanOut: n };
}

/** Named, seeded, disposable set of tf.Variables. */
export class ParamStore {
  private readonly entries = new Map<string, ParamEntry>();
  private readonly rng: Rng;
  private disposed = false;

  /** @param seed - any integer; the same seed and the same sequence of `add` calls give identical weights */
  constructor(readonly seed: number) {
    this.rng = mulberry32(seed);
  }

  /**
   * Registers a new parameter and returns its variable.
   * @param name - unique dotted name
   * @param shape - tensor shape
   * @param init - initialiser; random ones draw from this store's PRNG in call order
   * @param trainable - false for running statistics
   */
  add(name: string, shape: number[], init: Init, trainable = true): tf.Variable {
    if (this.disposed) throw new InvalidInputError('ParamStore: used after dispose()');
    if (this.entries.has(name)) throw new InvalidInputError(`ParamStore: duplicate name ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (init.kind === 'const') data.fill(init.value);
    else {
      const { fanIn, fanOut } = fans(shape);
      const std = init.kind === 'he' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) data[i] = std * gaussian(this.rng);
    }
    const initial = tf.tensor(data, shape, 'float32');
    const variable = tf.variable(initial, trainable, `${name}#${uid()}`);
    initial.dispose();
    this.entries.set(name, { name, variable, trainable });
    return variable;
  }

  /** The variable registered under `name`; throws if there is none. */
  get(name: string): tf.Variable {
    const e = this.entries.get(name);
    if (!e) throw new InvalidInputError(`ParamStore: no parameter named ${name}`);
    return e.variable;
  }

  /** Whether a parameter of this name exists. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** All entries in registration order (the order used by serialisation). */
  list(): ParamEntry[] {
    return [...this.entries.values()];
  }

  /** Trainable variables only, in registration order (for `tf.variableGrads` / optimisers). */
  trainableVariables(): tf.Variable[] {
    return this.list()
      .filter((e) => e.trainable)
      .map((e) => e.variable);
  }

  /** Number of scalar parameters; `trainableOnly` leaves out running statistics. */
  count(trainableOnly = false): number {
    let n = 0;
    for (const e of this.entries.values()) if (!trainableOnly || e.trainable) n += e.variable.size;
    return n;
  }

  /** Frees every variable. The store is unusable afterwards. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    for (const e of this.entries.values()) e.variable.dispose();
    this.entries.clear();
    this.disposed = true;
  }
}

let counter = 0;
/** tfjs variable names are global per engine: suffix a process-unique counter. */
function uid(): number {
  counter += 1;
  return counter;
}
