/**
 * The training loop of the multi-exposure model: synthetic pairs from HDR images, Adam with a
 * warm-up + cosine schedule and gradient clipping, periodic validation on held-out stacks,
 * atomic checkpoints, resume, and a JSON-lines log. Cancelling (the signal) stops after the
 * current step and saves a checkpoint there; a crash loses at most `checkpointEvery` steps.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../errors.js';
import type { JobOptions } from '../../job.js';
import {
  createMultiExposureModel,
  type MultiExposureModel,
} from '../architectures/multi-exposure/model.js';
import { trainStep, type StepResult } from '../architectures/multi-exposure/train-step.js';
import { makeValidationStacks, PairBatcher, type PairBatch } from '../data/batch.js';
import { loadHdrDataset } from '../data/hdr-source.js';
import type { SynthStack } from '../data/synth-stack.js';
import { loadWeights, saveWeights } from '../nn/weights-io.js';
import {
  readCheckpointState,
  restoreCheckpoint,
  saveCheckpoint,
  type CheckpointState,
} from './checkpoint.js';
import { JsonlLog } from './log.js';
import { ScheduledAdam } from './optimizer.js';
import { learningRateAt } from './schedule.js';
import {
  DEFAULT_TRAIN_SETTINGS,
  resolveConfig,
  scheduleOf,
  validateSettings,
  type TrainSettings,
} from './settings.js';
import { validateModel, type ValidationScore } from './validate.js';

/** Events the loop reports besides progress. */
export type TrainEvent =
  | {
      readonly type: 'start';
      readonly step: number;
      readonly resumed: boolean;
      readonly note: string;
    }
  | {
      readonly type: 'step';
      readonly step: number;
      readonly result: StepResult;
      readonly lr: number;
      readonly stepsPerSecond: number;
      readonly etaSeconds: number;
    }
  | { readonly type: 'validation'; readonly step: number; readonly score: ValidationScore }
  | { readonly type: 'checkpoint'; readonly step: number; readonly folder: string };

/** Inputs of {@link trainModel}. */
export interface TrainOptions extends JobOptions {
  /** folder of HDR images (.hdr/.exr) */
  readonly hdrDir: string;
  /** run folder: checkpoints, log, best weights */
  readonly runDir: string;
  /** overrides of {@link DEFAULT_TRAIN_SETTINGS}; on resume only `steps` may change */
  readonly settings?: Partial<TrainSettings>;
  /** continue from the run folder's checkpoint (a fresh run when it has none) */
  readonly resume?: boolean;
  /** start from these weights (a weights manifest) instead of random ones; fresh runs only */
  readonly initWeights?: string;
  /** stop (with a checkpoint) after this many seconds of this session */
  readonly maxSeconds?: number;
  readonly onEvent?: (event: TrainEvent) => void;
}

/** How a session of training ended. */
export interface TrainResult {
  readonly step: number;
  readonly stoppedBy: 'done' | 'cancelled' | 'time-limit';
  readonly checkpoint: CheckpointState;
  readonly lastValidation: ValidationScore | null;
  /** mean steps/s of this session (data synthesis included) */
  readonly stepsPerSecond: number;
  readonly sessionSeconds: number;
}

const RESUMABLE_CHANGES = new Set<keyof TrainSettings>([
  'steps',
  'checkpointEvery',
  'validateEvery',
  'logEvery',
]);

function mergeResumeSettings(
  stored: TrainSettings,
  overrides: Partial<TrainSettings>,
): TrainSettings {
  for (const [k, v] of Object.entries(overrides) as [keyof TrainSettings, unknown][]) {
    if (v === undefined || JSON.stringify(v) === JSON.stringify(stored[k])) continue;
    if (!RESUMABLE_CHANGES.has(k)) {
      throw new InvalidInputError(
        `cannot change ${k} when resuming (checkpoint has ${JSON.stringify(stored[k])})`,
      );
    }
  }
  return { ...stored, ...overrides };
}

/**
 * The settings of a checkpoint; runs written before `reconstructionMask` existed trained with
 * the masked reconstruction loss and continue with it.
 */
function storedSettings(existing: CheckpointState): TrainSettings {
  const stored = existing.settings as unknown as Partial<TrainSettings>;
  return { ...(stored as TrainSettings), reconstructionMask: stored.reconstructionMask ?? true };
}

function toTensors(batch: PairBatch) {
  const shape: [number, number, number, number] = [batch.size, batch.height, batch.width, 3];
  return { a: tf.tensor4d(batch.input, shape), b: tf.tensor4d(batch.target, shape) };
}

/**
 * Trains (or continues training) a multi-exposure model. Resolves when the planned number of
 * steps is reached, the time limit passes, or the signal is aborted — in every case with a
 * checkpoint of the last completed step written.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { runDir, onEvent } = options;
  const existing = await readCheckpointState(runDir);
  if (existing && !options.resume) {
    throw new InvalidInputError(
      `${runDir} already holds a training run (step ${existing.step}); pass --resume to continue it or choose another folder`,
    );
  }
  const overrides = Object.fromEntries(
    Object.entries(options.settings ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<TrainSettings>;
  const settings = existing
    ? mergeResumeSettings(storedSettings(existing), overrides)
    : { ...DEFAULT_TRAIN_SETTINGS, ...overrides };
  const config = resolveConfig(settings);
  const model = createMultiExposureModel(config, settings.initSeed);
  const optimizer = new ScheduledAdam(settings.learningRate);
  try {
    validateSettings(settings, model.stride);
    if (existing && options.initWeights) {
      throw new InvalidInputError('initial weights apply to fresh runs only, not to --resume');
    }
    if (existing) await restoreCheckpoint(runDir, existing, model, optimizer);
    else if (options.initWeights) await loadWeights(options.initWeights, model.params);
    onEvent?.({
      type: 'start',
      step: existing?.step ?? 0,
      resumed: existing !== null,
      note: existing
        ? `resumed at step ${existing.step} of ${settings.steps}`
        : `new ${settings.config} run, ${settings.steps} steps planned`,
    });
    return await runLoop(options, settings, model, optimizer, existing);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

async function runLoop(
  options: TrainOptions,
  settings: TrainSettings,
  model: MultiExposureModel,
  optimizer: ScheduledAdam,
  existing: CheckpointState | null,
): Promise<TrainResult> {
  const { runDir, onEvent, signal } = options;
  const progress = options.onProgress;
  progress?.({ fraction: 0, message: 'loading HDR images' });
  const data = await loadHdrDataset(options.hdrDir, settings.seed, settings.validationFraction, {
    signal,
  });
  if (data.train.length === 0) throw new InvalidInputError(`${options.hdrDir}: no training images`);
  let stacks: SynthStack[] = [];
  if (settings.validateEvery > 0 && data.validation.length > 0) {
    progress?.({ fraction: 0, message: 'making validation stacks' });
    stacks = await makeValidationStacks(
      data.validation,
      settings.seed + 1_000_003,
      settings.validationPerImage,
      { size: settings.validationSize },
    );
  }
  const log = new JsonlLog(path.join(runDir, 'train-log.jsonl'));
  const schedule = scheduleOf(settings);
  let step = existing?.step ?? 0;
  let best = existing?.best ?? null;
  const trainSecondsBefore = existing?.trainSeconds ?? 0;
  let checkpoint = existing;
  let lastValidation: ValidationScore | null = null;
  if (!existing) {
    await log.write({
      type: 'start',
      time: new Date().toISOString(),
      settings,
      split: data.split,
      initWeights: options.initWeights ?? null,
      parameters: model.params.trainableVariables().reduce((a, v) => a + v.size, 0),
    });
  } else {
    await log.write({ type: 'resume', time: new Date().toISOString(), step, settings });
  }
  const batcher = new PairBatcher(data.train, {
    batchSize: settings.batchSize,
    seed: settings.seed,
    startIndex: existing?.samplesConsumed ?? 0,
    synth: { size: settings.cropSize },
  });
  let samplesConsumed = existing?.samplesConsumed ?? 0;
  const sessionStart = performance.now();
  let stepsThisSession = 0;
  let emaStepSeconds = 0;
  let lastCheckpointStep = step;
  const sessionSeconds = () => (performance.now() - sessionStart) / 1000;

  const save = async () => {
    const trainSeconds = trainSecondsBefore + sessionSeconds();
    checkpoint = await saveCheckpoint(runDir, model, optimizer, {
      step,
      samplesConsumed,
      trainSeconds,
      best,
      settings: settings as unknown as Record<string, unknown>,
    });
    lastCheckpointStep = step;
    await log.write({ type: 'checkpoint', step, folder: checkpoint.folder, trainSeconds });
    onEvent?.({ type: 'checkpoint', step, folder: checkpoint.folder });
  };

  const validate = async () => {
    if (stacks.length === 0) return;
    const t0 = performance.now();
    const score = await validateModel(model, stacks, 4, { signal });
    lastValidation = score;
    const improved = !best || score.meanPsnr > best.meanPsnr;
    if (improved) {
      best = { step, meanPsnr: score.meanPsnr };
      await mkdir(path.join(runDir, 'best'), { recursive: true });
      await saveWeights(path.join(runDir, 'best', 'model'), model.params, {
        config: model.config,
        step,
        validation: score,
        // the scene split, so that evaluations hold out the same images
        dataSeed: settings.seed,
        validationFraction: settings.validationFraction,
      });
    }
    await log.write({
      type: 'validation',
      step,
      ...score,
      best: improved,
      seconds: (performance.now() - t0) / 1000,
    });
    onEvent?.({ type: 'validation', step, score });
  };

  let stoppedBy: TrainResult['stoppedBy'] = 'done';
  if (!existing && settings.validateEvery > 0) await validate();
  while (step < settings.steps) {
    if (signal?.aborted) {
      stoppedBy = 'cancelled';
      break;
    }
    if (options.maxSeconds !== undefined && sessionSeconds() >= options.maxSeconds) {
      stoppedBy = 'time-limit';
      break;
    }
    const t0 = performance.now();
    const batch = await batcher.next();
    const lr = learningRateAt(schedule, step);
    optimizer.setLearningRate(lr);
    const { a, b } = toTensors(batch);
    let result: StepResult;
    try {
      result = trainStep(
        model,
        optimizer,
        { a, b, ratio: batch.ratio },
        {
          weights: settings.lossWeights,
          clipNorm: settings.clipNorm,
          maskReconstruction: settings.reconstructionMask,
        },
      );
    } finally {
      a.dispose();
      b.dispose();
    }
    step++;
    stepsThisSession++;
    samplesConsumed += batch.size;
    const dt = (performance.now() - t0) / 1000;
    emaStepSeconds = stepsThisSession === 1 ? dt : 0.9 * emaStepSeconds + 0.1 * dt;
    const stepsPerSecond = 1 / emaStepSeconds;
    const etaSeconds = (settings.steps - step) * emaStepSeconds;
    onEvent?.({ type: 'step', step, result, lr, stepsPerSecond, etaSeconds });
    progress?.({
      fraction: step / settings.steps,
      message: `step ${step}/${settings.steps} loss ${result.total.toFixed(4)} ${stepsPerSecond.toFixed(2)} steps/s ETA ${formatEta(etaSeconds)}`,
    });
    if (step % settings.logEvery === 0 || result.skipped) {
      await log.write({
        type: 'step',
        step,
        lr,
        ...result,
        stepsPerSecond,
        numTensors: tf.memory().numTensors,
        time: new Date().toISOString(),
      });
    }
    if (settings.validateEvery > 0 && step % settings.validateEvery === 0) await validate();
    if (step % settings.checkpointEvery === 0) await save();
  }
  // The batch the batcher made ahead is dropped: samplesConsumed counts only trained samples.
  if (step !== lastCheckpointStep || !checkpoint) await save();
  const session = sessionSeconds();
  await log.write({ type: 'stop', step, stoppedBy, sessionSeconds: session });
  return {
    step,
    stoppedBy,
    checkpoint: checkpoint!,
    lastValidation,
    stepsPerSecond: stepsThisSession > 0 ? stepsThisSession / session : 0,
    sessionSeconds: session,
  };
}

function formatEta(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0
    ? `${h}h${String(m).padStart(2, '0')}m`
    : `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}
