/**
 * Settings of a training run, their defaults and validation. Stored in every checkpoint so a
 * resumed run continues with the same data, model and schedule.
 */
import { InvalidInputError } from '../../errors.js';
import { CONFIGS, type MultiExposureConfig } from '../architectures/multi-exposure/config.js';
import { DEFAULT_LOSS_WEIGHTS, type LossWeights } from '../architectures/multi-exposure/losses.js';
import { validateSchedule, type LrSchedule } from './schedule.js';

/** Everything that defines a run. */
export interface TrainSettings {
  /** architecture config name, a key of CONFIGS (lite, lite-prior, lite16-prior, paper, tiny …) */
  readonly config: string;
  /** data seed: scene split, crops, cameras, noise */
  readonly seed: number;
  /** weight-initialisation seed */
  readonly initSeed: number;
  readonly batchSize: number;
  /** training crop side in pixels (multiple of the model stride) */
  readonly cropSize: number;
  /** planned length of the run in steps (the LR schedule ends here) */
  readonly steps: number;
  /** peak learning rate */
  readonly learningRate: number;
  readonly warmupSteps: number;
  /** LR floor as a fraction of the peak */
  readonly minLrFraction: number;
  /** global gradient-norm clip */
  readonly clipNorm: number;
  readonly lossWeights: LossWeights;
  /** weight the L1 reconstruction loss by the target's well-exposedness mask Λ */
  readonly reconstructionMask: boolean;
  /** steps between checkpoints */
  readonly checkpointEvery: number;
  /** steps between validations (0: never) */
  readonly validateEvery: number;
  /** steps between loss records in the log */
  readonly logEvery: number;
  /** validation stack side in pixels (multiple of the model stride) */
  readonly validationSize: number;
  /** validation stacks per held-out image */
  readonly validationPerImage: number;
  /** share of scenes held out for validation */
  readonly validationFraction: number;
}

/** Defaults for the shipped lite model. */
export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  config: 'lite',
  seed: 1,
  initSeed: 1,
  batchSize: 4,
  cropSize: 128,
  steps: 6000,
  learningRate: 5e-4,
  warmupSteps: 100,
  minLrFraction: 0.05,
  clipNorm: 1,
  lossWeights: DEFAULT_LOSS_WEIGHTS,
  reconstructionMask: false,
  checkpointEvery: 100,
  validateEvery: 500,
  logEvery: 10,
  validationSize: 256,
  validationPerImage: 2,
  validationFraction: 0.15,
};

/** The architecture config a settings object names. */
export function resolveConfig(settings: TrainSettings): MultiExposureConfig {
  const c = CONFIGS[settings.config];
  if (!c) {
    throw new InvalidInputError(
      `unknown model config "${settings.config}" (known: ${Object.keys(CONFIGS).join(', ')})`,
    );
  }
  return c;
}

/** The LR schedule of a settings object. */
export function scheduleOf(s: TrainSettings): LrSchedule {
  return {
    base: s.learningRate,
    warmupSteps: s.warmupSteps,
    totalSteps: s.steps,
    minFraction: s.minLrFraction,
  };
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

/**
 * Checks every field (crop sizes against the model stride `stride`).
 * @throws InvalidInputError naming the first bad field
 */
export function validateSettings(s: TrainSettings, stride: number): void {
  const checks: [keyof TrainSettings, boolean, string][] = [
    ['seed', Number.isInteger(s.seed), 'an integer'],
    ['initSeed', Number.isInteger(s.initSeed), 'an integer'],
    ['batchSize', positiveInt(s.batchSize), 'an integer ≥ 1'],
    ['cropSize', positiveInt(s.cropSize) && s.cropSize % stride === 0, `a multiple of ${stride}`],
    ['steps', positiveInt(s.steps), 'an integer ≥ 1'],
    ['clipNorm', s.clipNorm > 0, 'a positive number (Infinity disables clipping)'],
    ['checkpointEvery', positiveInt(s.checkpointEvery), 'an integer ≥ 1'],
    ['validateEvery', Number.isInteger(s.validateEvery) && s.validateEvery >= 0, 'an integer ≥ 0'],
    ['logEvery', positiveInt(s.logEvery), 'an integer ≥ 1'],
    [
      'validationSize',
      positiveInt(s.validationSize) && s.validationSize % stride === 0,
      `a multiple of ${stride}`,
    ],
    ['validationPerImage', positiveInt(s.validationPerImage), 'an integer ≥ 1'],
    [
      'validationFraction',
      s.validationFraction > 0 && s.validationFraction < 1,
      'a number in (0, 1)',
    ],
  ];
  for (const [name, ok, what] of checks) {
    if (!ok)
      throw new InvalidInputError(
        `training setting ${name} must be ${what}, got ${String(s[name])}`,
      );
  }
  validateSchedule(scheduleOf(s));
}
