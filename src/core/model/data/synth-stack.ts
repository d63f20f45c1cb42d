/**
 * Synthetic exposure brackets from real HDR images: training PAIRS (I_i, I_j, Δt_j/Δt_i) and
 * full validation STACKS (EV −3…+3), each from a random crop, augmentation, camera response,
 * base exposure, noise and JPEG quality. Every sample is a pure function of (seed, index): the
 * same seed and index give the same bytes whatever the order or batch they are made in.
 *
 * Exposure convention: `linear` is the crop scaled so that EV 0 is the "well exposed" reference
 * (the q-quantile of its luminance, q ∈ quantile, lands at relative exposure `level`; 1 is the
 * sensor's saturation). The frame at EV e records X = linear·2^e.
 */
import { sampleCameraResponse, type ParametricResponse } from '../../camera/parametric.js';
import { mulberry32, uniform, type Rng } from '../../camera/rng.js';
import { InvalidInputError } from '../../errors.js';
import {
  applyAugment,
  randomAugmentParams,
  type AugmentParams,
  type AugmentRanges,
} from './augment.js';
import {
  exposeFrame,
  forwardLut,
  jpegRoundTrip,
  luminanceQuantile,
  type NoiseParams,
} from './camera-sim.js';
import type { HdrSource } from './hdr-source.js';
import { randomCrop, type CropInfo, type ViewRanges } from './perspective-crop.js';

/** Knobs of the synthesis; every field has a default. Ranges are [min, max]. */
export interface SynthOptions {
  /** Crop side in pixels (square), default 128. */
  readonly size?: number;
  /** View / window ranges for the crop. */
  readonly crop?: ViewRanges & { readonly minScale?: number };
  /** Augmentation ranges. */
  readonly augment?: AugmentRanges;
  /** Luminance quantile mapped to `level` at EV 0, default [0.9, 0.995]. */
  readonly quantile?: readonly [number, number];
  /** Relative exposure of that quantile at EV 0 (1 = clip), default [0.6, 1.2]. */
  readonly level?: readonly [number, number];
  /** EV of the input frame of a pair around the reference, default [−1, 1]. */
  readonly inputEv?: readonly [number, number];
  /** |EV offset| of a pair's target, default [0.25, 3]. */
  readonly offset?: readonly [number, number];
  /** Probability that a pair's offset is a whole number of stops (±1, ±2, ±3), default 0.5. */
  readonly integerOffsetProbability?: number;
  /** Shot and read noise variance ranges (drawn log-uniformly), or false for no noise. */
  readonly noise?:
    { readonly shot: readonly [number, number]; readonly read: readonly [number, number] } | false;
  /** JPEG round trip: probability per sample and quality range, or false for none. */
  readonly jpeg?:
    { readonly probability: number; readonly quality: readonly [number, number] } | false;
}

/** Everything that was drawn for a sample (for the model card / diagnostics). */
export interface SampleMeta {
  readonly source: string;
  readonly crop: CropInfo;
  readonly augment: AugmentParams;
  readonly response: ParametricResponse;
  /** Factor from the source's radiance to `linear`. */
  readonly baseScale: number;
  readonly noise: NoiseParams | null;
  /** JPEG quality, or null when the sample skipped the round trip. */
  readonly jpegQuality: number | null;
}

/** A training pair: input frame I_i, target frame I_j and the exposure ratio Δt_j/Δt_i. */
export interface SynthPair extends SampleMeta {
  readonly width: number;
  readonly height: number;
  /** I_i: interleaved RGB in [0, 1], 8-bit values (JPEG-decoded when jpegQuality is set). */
  readonly input: Float32Array;
  /** I_j, same format. */
  readonly target: Float32Array;
  /** Δt_j/Δt_i = 2^(evTarget − evInput). */
  readonly ratio: number;
  /** EVs of input and target relative to the reference exposure. */
  readonly evInput: number;
  readonly evTarget: number;
  /** Scene-linear ground truth at EV 0 (1 = saturation), interleaved RGB. */
  readonly linear: Float32Array;
}

/** A validation stack: frames at the given EVs, all from the same crop and camera. */
export interface SynthStack extends SampleMeta {
  readonly width: number;
  readonly height: number;
  /** EVs of the frames, ascending (default −3…+3 in 1-EV steps). */
  readonly evs: readonly number[];
  /** One frame per EV, interleaved RGB in [0, 1] (8-bit values). */
  readonly frames: readonly Float32Array[];
  /** Scene-linear ground truth at EV 0. */
  readonly linear: Float32Array;
}

/** The default validation EVs. */
export const STACK_EVS: readonly number[] = [-3, -2, -1, 0, 1, 2, 3];

/**
 * Mixes a seed and a sample index into an independent 32-bit seed (splitmix-style finaliser).
 */
export function sampleSeed(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul((index | 0) + 0x632be5ab, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function logUniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));
}

interface Scene {
  readonly meta: Omit<SampleMeta, 'jpegQuality'>;
  readonly width: number;
  readonly height: number;
  readonly linear: Float32Array;
  readonly lut: Float32Array;
  readonly jpegQuality: number | null;
}

/** Draws crop, augmentation, response, base exposure, noise and JPEG quality (fixed order). */
function drawScene(source: HdrSource, rng: Rng, opts: SynthOptions): Scene {
  const size = opts.size ?? 128;
  if (!Number.isInteger(size) || size < 4) {
    throw new InvalidInputError(`crop size must be an integer ≥ 4, got ${size}`);
  }
  const crop = randomCrop(source.image, source.panoramic, rng, size, size, opts.crop);
  const augment = randomAugmentParams(rng, opts.augment);
  const aug = applyAugment(crop.data, size, size, augment);
  const response = sampleCameraResponse(rng);
  const q = uniform(rng, ...(opts.quantile ?? [0.9, 0.995]));
  const level = uniform(rng, ...(opts.level ?? [0.6, 1.2]));
  const ref = luminanceQuantile(aug.data, q);
  const baseScale = ref > 1e-12 ? level / ref : 1;
  const linear = aug.data;
  for (let i = 0; i < linear.length; i++) linear[i] *= baseScale;
  const nz = opts.noise ?? { shot: [2e-5, 2e-3], read: [1e-7, 1e-5] };
  const noise =
    nz === false ? null : { shot: logUniform(rng, nz.shot), read: logUniform(rng, nz.read) };
  const jp = opts.jpeg ?? { probability: 0.5, quality: [70, 98] };
  const useJpeg = jp !== false && rng() < jp.probability;
  const jpegQuality = jp !== false && useJpeg ? Math.round(uniform(rng, ...jp.quality)) : null;
  return {
    meta: { source: source.relPath, crop: crop.info, augment, response, baseScale, noise },
    width: aug.width,
    height: aug.height,
    linear,
    lut: forwardLut(response),
    jpegQuality,
  };
}

async function render(scene: Scene, ev: number, rng: Rng): Promise<Float32Array> {
  const f = exposeFrame(scene.linear, 2 ** ev, scene.lut, scene.meta.noise, rng);
  if (scene.jpegQuality === null) return f;
  return jpegRoundTrip(f, scene.width, scene.height, scene.jpegQuality);
}

/**
 * Makes one training pair. Offsets are ±|Δ| with |Δ| uniform in `offset` (or, with probability
 * `integerOffsetProbability`, a whole number of stops in that range); the input EV is uniform in
 * `inputEv`. Deterministic in (seed, index).
 * @param sources - images to draw from (uniformly); must not be empty
 * @param seed - dataset seed
 * @param index - sample number ≥ 0
 */
export async function synthPair(
  sources: readonly HdrSource[],
  seed: number,
  index: number,
  opts: SynthOptions = {},
): Promise<SynthPair> {
  if (sources.length === 0) throw new InvalidInputError('no HDR sources to sample from');
  const rng = mulberry32(sampleSeed(seed, index));
  const source = sources[Math.min(sources.length - 1, Math.floor(rng() * sources.length))];
  const scene = drawScene(source, rng, opts);
  const [o0, o1] = opts.offset ?? [0.25, 3];
  let mag = uniform(rng, o0, o1);
  const intLo = Math.max(1, Math.ceil(o0));
  const intHi = Math.floor(o1);
  if (rng() < (opts.integerOffsetProbability ?? 0.5) && intHi >= intLo) {
    mag = intLo + Math.min(intHi - intLo, Math.floor(rng() * (intHi - intLo + 1)));
  }
  const delta = rng() < 0.5 ? -mag : mag;
  const evInput = uniform(rng, ...(opts.inputEv ?? [-1, 1]));
  const evTarget = evInput + delta;
  const input = await render(scene, evInput, rng);
  const target = await render(scene, evTarget, rng);
  return {
    ...scene.meta,
    jpegQuality: scene.jpegQuality,
    width: scene.width,
    height: scene.height,
    input,
    target,
    ratio: 2 ** delta,
    evInput,
    evTarget,
    linear: scene.linear,
  };
}

/**
 * Makes one validation stack from one source: frames at `evs` (default −3…+3) around the
 * reference exposure, same crop, camera and JPEG quality, independent noise per frame.
 * Deterministic in (seed, index).
 */
export async function synthStack(
  source: HdrSource,
  seed: number,
  index: number,
  opts: SynthOptions = {},
  evs: readonly number[] = STACK_EVS,
): Promise<SynthStack> {
  const rng = mulberry32(sampleSeed(seed, index));
  const scene = drawScene(source, rng, opts);
  const frames: Float32Array[] = [];
  for (const ev of evs) frames.push(await render(scene, ev, rng));
  return {
    ...scene.meta,
    jpegQuality: scene.jpegQuality,
    width: scene.width,
    height: scene.height,
    evs: [...evs],
    frames,
    linear: scene.linear,
  };
}
