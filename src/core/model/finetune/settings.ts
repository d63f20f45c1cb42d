/**
 * Settings of a fine-tuning job, their defaults and validation. Stored in the job's checkpoint so
 * that a resumed job continues with the same data, sampling and schedule.
 */
import { InvalidInputError } from '../../errors.js';
import { MAX_ABS_EV } from '../architectures/multi-exposure/model.js';
import type { LrSchedule } from '../train/schedule.js';
import { validateSchedule } from '../train/schedule.js';

/** Everything that defines a fine-tuning job. */
export interface FinetuneSettings {
  /** sampling seed: crops, pairs, augmentation */
  readonly seed: number;
  /** planned steps (the LR schedule ends here) */
  readonly steps: number;
  /** peak learning rate */
  readonly learningRate: number;
  /** steps of linear warm-up */
  readonly warmupSteps: number;
  /** LR floor of the cosine decay, fraction of the peak (0…1) */
  readonly minLrFraction: number;
  /** pairs per step */
  readonly batchSize: number;
  /** crop side in pixels (a multiple of the model stride; shrunk to fit small stacks) */
  readonly cropSize: number;
  /** global gradient-norm clip */
  readonly clipNorm: number;
  /** share of every stack's width (its right side) never trained on, (0, 1) */
  readonly holdoutFraction: number;
  /** steps between validations on the held-out region (≥ 1) */
  readonly validateEvery: number;
  /** validations without improvement before stopping early (≥ 1) */
  readonly patience: number;
  /** smallest gain of the mean held-out PSNR that counts as an improvement, dB (≥ 0) */
  readonly minImprovementDb: number;
  /** steps between checkpoints (pause/resume), ≥ 1 */
  readonly checkpointEvery: number;
  /** largest |EV| between the two frames of a training pair (≤ 4) */
  readonly maxPairEv: number;
  /**
   * frames more than this many stops from the reference are not trained on (the validation
   * renders ±3 EV; frames far beyond are mostly black or clipped), 0.5…8
   */
  readonly maxFrameEv: number;
  /**
   * keep the base model's batch-norm running statistics (a few crops of one camera would
   * otherwise replace statistics gathered over the whole training set)
   */
  readonly freezeBatchNorm: boolean;
  /** crops whose share of ghost pixels exceeds this are never sampled, [0, 1] */
  readonly maxGhostFraction: number;
  /** tolerance of the ghost test in natural-log radiance (deghost σ), > 0 */
  readonly ghostSigma: number;
}

/** Defaults: a short, gentle fine-tune of a shipped model. */
export const DEFAULT_FINETUNE_SETTINGS: FinetuneSettings = {
  seed: 1,
  steps: 500,
  learningRate: 1e-4,
  warmupSteps: 25,
  minLrFraction: 0.1,
  batchSize: 4,
  cropSize: 128,
  clipNorm: 1,
  holdoutFraction: 0.5,
  validateEvery: 50,
  patience: 3,
  minImprovementDb: 0.01,
  checkpointEvery: 50,
  maxPairEv: 3,
  maxFrameEv: 3,
  freezeBatchNorm: true,
  maxGhostFraction: 0.05,
  ghostSigma: 0.3,
};

/** The learning-rate schedule of a job: warm-up (at most a tenth of the steps), cosine decay. */
export function finetuneSchedule(s: FinetuneSettings): LrSchedule {
  return {
    base: s.learningRate,
    warmupSteps: Math.min(s.warmupSteps, Math.floor(s.steps / 10)),
    totalSteps: s.steps,
    minFraction: s.minLrFraction,
  };
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

/**
 * Checks every field (the crop size against the model stride).
 * @throws InvalidInputError naming the first bad field
 */
export function validateFinetuneSettings(s: FinetuneSettings, stride: number): void {
  const checks: [keyof FinetuneSettings, boolean, string][] = [
    ['seed', Number.isInteger(s.seed), 'an integer'],
    ['steps', positiveInt(s.steps), 'an integer ≥ 1'],
    ['batchSize', positiveInt(s.batchSize), 'an integer ≥ 1'],
    ['cropSize', positiveInt(s.cropSize) && s.cropSize % stride === 0, `a multiple of ${stride}`],
    ['clipNorm', s.clipNorm > 0, 'a positive number'],
    ['holdoutFraction', s.holdoutFraction > 0 && s.holdoutFraction < 1, 'a number in (0, 1)'],
    ['validateEvery', positiveInt(s.validateEvery), 'an integer ≥ 1'],
    ['patience', positiveInt(s.patience), 'an integer ≥ 1'],
    ['minImprovementDb', s.minImprovementDb >= 0, 'a number ≥ 0'],
    ['checkpointEvery', positiveInt(s.checkpointEvery), 'an integer ≥ 1'],
    ['maxPairEv', s.maxPairEv >= 0.5 && s.maxPairEv <= MAX_ABS_EV, `in [0.5, ${MAX_ABS_EV}]`],
    ['maxFrameEv', s.maxFrameEv >= 0.5 && s.maxFrameEv <= 8, 'in [0.5, 8]'],
    ['freezeBatchNorm', typeof s.freezeBatchNorm === 'boolean', 'true or false'],
    ['maxGhostFraction', s.maxGhostFraction >= 0 && s.maxGhostFraction <= 1, 'in [0, 1]'],
    ['ghostSigma', s.ghostSigma > 0 && Number.isFinite(s.ghostSigma), 'a positive number'],
  ];
  for (const [name, ok, what] of checks) {
    if (!ok) {
      throw new InvalidInputError(
        `fine-tune setting ${name} must be ${what}, got ${String(s[name])}`,
      );
    }
  }
  validateSchedule(finetuneSchedule(s));
}
