/**
 * Batches of synthetic training pairs as flat Float32Arrays, NHWC-ready for the training code
 * (tf.tensor4d(input, [B, H, W, 3]) etc.), with the next batch prepared while the current one
 * is in use. Sources stay in memory (load them once with loadHdrDataset).
 */
import { InvalidInputError } from '../../errors.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import type { HdrSource } from './hdr-source.js';
import {
  STACK_EVS,
  synthPair,
  synthStack,
  type SynthOptions,
  type SynthStack,
} from './synth-stack.js';

/** One batch of pairs. */
export interface PairBatch {
  /** Batch size B. */
  readonly size: number;
  readonly height: number;
  readonly width: number;
  /** Input frames I_i, [B, H, W, 3], values in [0, 1]. */
  readonly input: Float32Array;
  /** Target frames I_j, [B, H, W, 3], values in [0, 1]. */
  readonly target: Float32Array;
  /** Exposure ratios Δt_j/Δt_i, [B]. */
  readonly ratio: Float32Array;
  /** EV offsets log2(ratio), [B]. */
  readonly evOffset: Float32Array;
  /** Index of the batch's first sample in the (seed-defined) sample sequence. */
  readonly firstIndex: number;
}

/** Options of {@link PairBatcher}. */
export interface BatcherOptions {
  /** Samples per batch, default 4. */
  readonly batchSize?: number;
  /** Dataset seed, default 1. */
  readonly seed?: number;
  /** Index of the first sample (to resume a run exactly where it stopped), default 0. */
  readonly startIndex?: number;
  /** Synthesis options (size, ranges, noise, JPEG). */
  readonly synth?: SynthOptions;
}

/**
 * Assembles samples [first, first + B) into one batch.
 * @throws InvalidInputError for an empty source list or batch size < 1
 */
export async function makePairBatch(
  sources: readonly HdrSource[],
  seed: number,
  first: number,
  batchSize: number,
  synth: SynthOptions = {},
  options: JobOptions = {},
): Promise<PairBatch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidInputError(`batch size must be an integer ≥ 1, got ${batchSize}`);
  }
  let input: Float32Array | undefined;
  let target: Float32Array | undefined;
  const ratio = new Float32Array(batchSize);
  const evOffset = new Float32Array(batchSize);
  let width = 0;
  let height = 0;
  for (let b = 0; b < batchSize; b++) {
    throwIfAborted(options.signal);
    const p = await synthPair(sources, seed, first + b, synth);
    if (!input || !target) {
      width = p.width;
      height = p.height;
      input = new Float32Array(batchSize * p.input.length);
      target = new Float32Array(batchSize * p.input.length);
    }
    input.set(p.input, b * p.input.length);
    target.set(p.target, b * p.target.length);
    ratio[b] = p.ratio;
    evOffset[b] = p.evTarget - p.evInput;
    options.onProgress?.({ fraction: (b + 1) / batchSize });
  }
  return {
    size: batchSize,
    height,
    width,
    input: input ?? new Float32Array(0),
    target: target ?? new Float32Array(0),
    ratio,
    evOffset,
    firstIndex: first,
  };
}

/**
 * An endless, deterministic stream of pair batches with one batch of prefetch: after `next()`
 * returns batch k, batch k + 1 is already being made. Batch k holds samples
 * [start + k·B, start + (k+1)·B), so a resumed run (startIndex = samples seen) continues the
 * same sequence.
 */
export class PairBatcher {
  private readonly sources: readonly HdrSource[];
  private readonly batchSize: number;
  private readonly seed: number;
  private readonly synth: SynthOptions;
  private nextIndex: number;
  private pending: Promise<PairBatch> | undefined;

  constructor(sources: readonly HdrSource[], options: BatcherOptions = {}) {
    if (sources.length === 0) throw new InvalidInputError('no HDR sources to sample from');
    this.sources = sources;
    this.batchSize = options.batchSize ?? 4;
    this.seed = options.seed ?? 1;
    this.synth = options.synth ?? {};
    this.nextIndex = options.startIndex ?? 0;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new InvalidInputError(`batch size must be an integer ≥ 1, got ${this.batchSize}`);
    }
  }

  /** Index of the first sample the next call to {@link next} returns. */
  get samplesConsumed(): number {
    return this.nextIndex;
  }

  private start(): Promise<PairBatch> {
    const p = makePairBatch(this.sources, this.seed, this.nextIndex, this.batchSize, this.synth);
    this.nextIndex += this.batchSize;
    // A failed prefetch is reported by the next call to next(), not as an unhandled rejection.
    p.catch(() => undefined);
    return p;
  }

  /** The next batch; starts making the one after it. */
  async next(): Promise<PairBatch> {
    const current = this.pending ?? this.start();
    this.pending = this.start();
    return current;
  }

  /** Async iteration: `for await (const batch of batcher)` (endless; break to stop). */
  async *[Symbol.asyncIterator](): AsyncGenerator<PairBatch> {
    for (;;) yield await this.next();
  }
}

/**
 * Deterministic validation stacks: `perSource` stacks from every source (in order), sample
 * index = position in that order.
 */
export async function makeValidationStacks(
  sources: readonly HdrSource[],
  seed: number,
  perSource = 2,
  synth: SynthOptions = {},
  evs: readonly number[] = STACK_EVS,
  options: JobOptions = {},
): Promise<SynthStack[]> {
  const out: SynthStack[] = [];
  const total = sources.length * perSource;
  for (let s = 0; s < sources.length; s++) {
    for (let k = 0; k < perSource; k++) {
      throwIfAborted(options.signal);
      out.push(await synthStack(sources[s], seed, s * perSource + k, synth, evs));
      options.onProgress?.({ fraction: out.length / total });
    }
  }
  return out;
}
