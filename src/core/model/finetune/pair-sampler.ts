/**
 * Training pairs from the user's stacks: stride-aligned square crops from each stack's training
 * columns (left of the held-out region) whose ghost share is small, a random pair of frames
 * (i ≠ j, exposure ratio from their times, |EV| within a bound) and one of the 8 flips/rotations
 * applied to both frames. Sample k depends only on the seed and k, so a resumed job sees the
 * same samples as an uninterrupted one.
 */
import { mulberry32 } from '../../camera/rng.js';
import { InvalidInputError } from '../../errors.js';
import { extractCrop, TRANSFORM_COUNT } from './augment.js';
import { integralMask, rectCount } from './ghost.js';

/** What the sampler needs of a stack. */
export interface SamplerStack {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** columns [0, trainWidth) may be trained on */
  readonly trainWidth: number;
  /** interleaved RGB frames, width·height·3 values in [0, 1] */
  readonly frames: readonly { readonly data: Float32Array }[];
  /** exposure time per frame, seconds (> 0) */
  readonly times: readonly number[];
  /** per-pixel ghost mask (1 = ghost), width·height, optional */
  readonly ghost?: Uint8Array;
  /** the reference frame (with `maxFrameEv`, frames far from it are not used) */
  readonly referenceIndex?: number;
}

/** Sampler settings. */
export interface PairSamplerOptions {
  /** crop side in pixels, a multiple of `stride` */
  readonly cropSize: number;
  /** crop corners lie on multiples of this (the model stride) */
  readonly stride: number;
  readonly seed: number;
  /** largest |log2 ratio| of a pair, stops */
  readonly maxPairEv: number;
  /** crops with a larger share of ghost pixels are never used, [0, 1] */
  readonly maxGhostFraction: number;
  /**
   * frames more than this many stops (+0.1 tolerance) from the stack's reference are not used
   * (default: all frames)
   */
  readonly maxFrameEv?: number;
}

/** One training sample: where it comes from and how it was transformed. */
export interface PairSample {
  /** stack index */
  readonly stack: number;
  /** crop corner in the stack's pixels (before the transform) */
  readonly x: number;
  readonly y: number;
  /** input frame i and target frame j */
  readonly i: number;
  readonly j: number;
  /** flip/rotation 0…7 (see extractCrop) */
  readonly transform: number;
  /** exposure ratio t_j / t_i */
  readonly ratio: number;
}

/** A batch of samples as NHWC arrays. */
export interface SampledBatch {
  readonly size: number;
  readonly cropSize: number;
  /** [B, c, c, 3] input frames I_i */
  readonly a: Float32Array;
  /** [B, c, c, 3] target frames I_j */
  readonly b: Float32Array;
  /** [B] ratios t_j / t_i */
  readonly ratio: Float32Array;
  readonly samples: readonly PairSample[];
}

/** Per stack: how many crop positions and frame pairs the sampler may use. */
export interface SamplerCoverage {
  readonly name: string;
  readonly positions: number;
  /** positions dropped for ghosts */
  readonly ghostExcluded: number;
  readonly pairs: number;
}

/** Tolerance of `maxFrameEv`, stops (as eval's offset matching). */
const FRAME_EV_TOLERANCE = 0.1;

/** Smallest |log2 ratio| of a pair: equal exposures teach nothing (and trainStep refuses 1). */
const MIN_PAIR_EV = 0.05;

/** Seed of sample k: a 32-bit mix of the job seed and the sample index. */
function sampleSeed(seed: number, k: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(k + 1, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) | 0;
}

/** Deterministic crop/pair sampler over the training columns of several stacks. */
export class PairSampler {
  private readonly positions: Int32Array[] = [];
  private readonly pairs: [number, number][][] = [];
  private readonly usable: number[] = [];
  /** per stack, what may be sampled */
  readonly coverage: SamplerCoverage[] = [];

  /**
   * @throws InvalidInputError when the crop does not fit a stack's training columns, or no
   *   stack has a usable crop and frame pair
   */
  constructor(
    readonly stacks: readonly SamplerStack[],
    readonly options: PairSamplerOptions,
  ) {
    const { cropSize: c, stride, maxPairEv, maxGhostFraction } = options;
    if (!Number.isInteger(c) || c < 1 || c % stride !== 0) {
      throw new InvalidInputError(`crop size ${c} must be a positive multiple of ${stride}`);
    }
    stacks.forEach((s, si) => {
      if (s.trainWidth < c || s.height < c) {
        throw new InvalidInputError(
          `${s.name}: a ${c}-pixel crop does not fit its ${s.trainWidth}×${s.height} training area`,
        );
      }
      const sat = s.ghost ? integralMask(s.ghost, s.width, s.height) : null;
      const limit = maxGhostFraction * c * c;
      const pos: number[] = [];
      let excluded = 0;
      for (let y = 0; y + c <= s.height; y += stride) {
        for (let x = 0; x + c <= s.trainWidth; x += stride) {
          if (sat && rectCount(sat, s.width, x, y, c, c) > limit) excluded++;
          else pos.push(x, y);
        }
      }
      const pairs: [number, number][] = [];
      const ref = s.referenceIndex;
      const near = (i: number) =>
        options.maxFrameEv === undefined ||
        ref === undefined ||
        Math.abs(Math.log2(s.times[i] / s.times[ref])) <= options.maxFrameEv + FRAME_EV_TOLERANCE;
      for (let i = 0; i < s.times.length; i++) {
        for (let j = 0; j < s.times.length; j++) {
          const ev = Math.abs(Math.log2(s.times[j] / s.times[i]));
          if (i === j || !near(i) || !near(j)) continue;
          if (ev >= MIN_PAIR_EV && ev <= maxPairEv + 1e-9) pairs.push([i, j]);
        }
      }
      this.positions.push(Int32Array.from(pos));
      this.pairs.push(pairs);
      this.coverage.push({
        name: s.name,
        positions: pos.length / 2,
        ghostExcluded: excluded,
        pairs: pairs.length,
      });
      if (pos.length > 0 && pairs.length > 0) this.usable.push(si);
    });
    if (this.usable.length === 0) {
      throw new InvalidInputError(
        `no training crops: ${this.coverage
          .map(
            (v) =>
              `${v.name} has ${v.positions} ghost-free crops and ${v.pairs} frame pairs within ${maxPairEv} EV`,
          )
          .join('; ')}`,
      );
    }
  }

  /** Sample k of the job's sequence (a pure function of the seed and k). */
  sample(k: number): PairSample {
    const rng = mulberry32(sampleSeed(this.options.seed, k));
    const pick = (n: number) => Math.min(n - 1, Math.floor(rng() * n));
    const stack = this.usable[pick(this.usable.length)];
    const pos = this.positions[stack];
    const p = pick(pos.length / 2);
    const pairs = this.pairs[stack];
    const [i, j] = pairs[pick(pairs.length)];
    const transform = pick(TRANSFORM_COUNT);
    const times = this.stacks[stack].times;
    return { stack, x: pos[2 * p], y: pos[2 * p + 1], i, j, transform, ratio: times[j] / times[i] };
  }

  /** Samples [first, first + size) as one batch. */
  batch(first: number, size: number): SampledBatch {
    const c = this.options.cropSize;
    const per = c * c * 3;
    const a = new Float32Array(size * per);
    const b = new Float32Array(size * per);
    const ratio = new Float32Array(size);
    const samples: PairSample[] = [];
    for (let k = 0; k < size; k++) {
      const s = this.sample(first + k);
      const st = this.stacks[s.stack];
      extractCrop(st.frames[s.i].data, st.width, s.x, s.y, c, s.transform, a, k * per);
      extractCrop(st.frames[s.j].data, st.width, s.x, s.y, c, s.transform, b, k * per);
      ratio[k] = s.ratio;
      samples.push(s);
    }
    return { size, cropSize: c, a, b, ratio, samples };
  }
}
