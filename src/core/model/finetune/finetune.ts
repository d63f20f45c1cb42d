/**
 * Fine-tuning a multi-exposure model on the user's own exposure stacks ("teach Bracketeer your
 * camera"): the base model's weights, training step and losses; pairs from the left part of
 * every stack; validation on the held-out right part (PSNR per EV offset, as `bracketeer eval
 * --right-half`) every N steps with early stopping; Adam with warm-up and cosine decay.
 *
 * The result is a NEW model folder in the user's models directory, written atomically with the
 * weights of the best validation step. Cancelling (the signal) writes no model folder; with a
 * caller-given `runDir` it leaves a checkpoint there that `resume` continues from (pause). The
 * base model's files are only read.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import { trainStep, type StepResult } from '../architectures/multi-exposure/train-step.js';
import { naiveSrgbPredictor, oracleCrfPredictor } from '../eval/baselines.js';
import { createMultiExposureModel } from '../architectures/multi-exposure/model.js';
import { loadWeights, saveWeights } from '../nn/weights-io.js';
import { writeOnnxFiles } from '../onnx/files.js';
import { DEFAULT_MODEL_ID, userModelsDirectory } from '../store/locate.js';
import { loadModel, type LoadedModel } from '../store/load-model.js';
import { readCheckpointState, restoreCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { ScheduledAdam } from '../train/optimizer.js';
import { learningRateAt } from '../train/schedule.js';
import { cameraProfile } from './camera-profile.js';
import { beforeAfterTable, renderCard, type StackSummary } from './card.js';
import { checkNewModelId, writeModelFolder } from './model-folder.js';
import { PairSampler } from './pair-sampler.js';
import {
  DEFAULT_FINETUNE_SETTINGS,
  finetuneSchedule,
  validateFinetuneSettings,
  type FinetuneSettings,
} from './settings.js';
import { findStacks, prepareStack, type FinetuneStack } from './stack-data.js';
import { holdoutStack, modelPredictor, scoreHoldout, type HoldoutScore } from './validation.js';

/** Events of a fine-tuning job besides progress. */
export type FinetuneEvent =
  | { readonly type: 'stack'; readonly stack: StackSummary }
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
  | {
      readonly type: 'validation';
      readonly step: number;
      readonly score: HoldoutScore;
      readonly improved: boolean;
      readonly bestStep: number;
    }
  | { readonly type: 'early-stop'; readonly step: number; readonly bestStep: number }
  | { readonly type: 'checkpoint'; readonly step: number; readonly folder: string }
  | { readonly type: 'saved'; readonly id: string; readonly dir: string; readonly sha256: string };

/** Inputs of {@link finetuneModel}. */
export interface FinetuneOptions extends JobOptions {
  /** stack folders and/or photo files (see findStacks) */
  readonly inputs: readonly string[];
  /** base model: id or weights .json (default multi-exposure-lite) */
  readonly from?: string;
  /** id of the new model (its folder name) */
  readonly id: string;
  /** where the new model goes (default: the user's models directory) */
  readonly modelsDir?: string;
  /**
   * work folder for checkpoints and best weights; kept after a cancel so that `resume` can
   * continue (default: a temporary folder, removed when the job ends)
   */
  readonly runDir?: string;
  /** continue the job whose checkpoint is in `runDir` */
  readonly resume?: boolean;
  readonly settings?: Partial<FinetuneSettings>;
  readonly onEvent?: (event: FinetuneEvent) => void;
}

/** How a fine-tuning job ended. */
export interface FinetuneResult {
  readonly stoppedBy: 'done' | 'early-stop' | 'cancelled';
  readonly step: number;
  /** step whose weights were saved (0: the base model's) */
  readonly bestStep: number;
  /** held-out PSNR of the base model and of the saved weights */
  readonly before: HoldoutScore;
  readonly after: HoldoutScore;
  readonly baselines: Readonly<Record<string, HoldoutScore>>;
  /** the before/after Markdown table */
  readonly table: string;
  /** the new model, null when cancelled */
  readonly model: { readonly id: string; readonly dir: string; readonly sha256: string } | null;
  readonly stacks: readonly StackSummary[];
  /** files or folders left out while finding stacks */
  readonly notes: readonly string[];
  readonly cropSize: number;
  readonly stepsPerSecond: number;
  readonly wallSeconds: number;
  /** the work folder when it was kept (cancelled with a caller-given runDir), else null */
  readonly runDir: string | null;
}

/** The job record next to the checkpoint (what a resume needs besides weights). */
interface JobState {
  readonly format: 'bracketeer-finetune';
  readonly version: 1;
  readonly id: string;
  readonly baseModel: string;
  readonly baseSha256: string;
  readonly settings: FinetuneSettings;
  readonly before: HoldoutScore;
  readonly baselines: Record<string, HoldoutScore>;
  readonly history: { step: number; score: HoldoutScore }[];
  readonly trainSeconds: number;
}

const RESUMABLE = new Set<keyof FinetuneSettings>([
  'steps',
  'validateEvery',
  'patience',
  'checkpointEvery',
  'minImprovementDb',
]);

function summary(
  s: FinetuneStack,
  coverage: { positions: number; ghostExcluded: number },
): StackSummary {
  return {
    name: s.name,
    folder: path.dirname(path.resolve(s.files[0])),
    frames: s.files.length,
    width: s.width,
    height: s.height,
    camera: [s.make, s.model].filter((v) => v).join(' ') || null,
    timesFrom: s.timesFrom,
    referenceFile: path.basename(s.files[s.referenceIndex]),
    shifts: s.shifts,
    ghostFraction: s.ghostFraction,
    crops: coverage.positions,
    ghostCrops: coverage.ghostExcluded,
  };
}

async function readJobState(runDir: string): Promise<JobState> {
  const file = path.join(runDir, 'finetune.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JobState;
  } catch (err) {
    throw new InvalidInputError(`${file}: cannot read the job record (${(err as Error).message})`);
  }
}

async function writeJobState(runDir: string, state: JobState): Promise<void> {
  await writeFileAtomic(
    path.join(runDir, 'finetune.json'),
    new TextEncoder().encode(`${JSON.stringify(state, null, 1)}\n`),
  );
}

function mergeSettings(
  stored: FinetuneSettings,
  overrides: Partial<FinetuneSettings>,
): FinetuneSettings {
  for (const [k, v] of Object.entries(overrides) as [keyof FinetuneSettings, unknown][]) {
    if (v === undefined || v === stored[k] || RESUMABLE.has(k)) continue;
    throw new InvalidInputError(
      `cannot change ${k} when resuming (the job has ${JSON.stringify(stored[k])})`,
    );
  }
  return { ...stored, ...overrides };
}

/** The largest crop side ≤ wanted, a multiple of stride, that fits every stack's training area. */
function fittingCrop(stacks: readonly FinetuneStack[], wanted: number, stride: number): number {
  const room = Math.min(...stacks.map((s) => Math.min(s.trainWidth, s.height)));
  const c = Math.min(wanted, Math.floor(room / stride) * stride);
  if (c < stride) {
    throw new InvalidInputError(
      `the training side of the smallest stack (${room} px) is narrower than the model stride ${stride}; use a smaller --holdout`,
    );
  }
  return c;
}

/**
 * Fine-tunes a model on the user's stacks and saves the best validation step as a new model.
 * @returns the outcome; `model` is null when cancelled
 * @throws InvalidInputError (bad settings, id taken, no stacks, resume mismatch),
 *   ImageReadError, WeightsIntegrityError (base model), CancelledError (while loading)
 */
export async function finetuneModel(options: FinetuneOptions): Promise<FinetuneResult> {
  const t0 = performance.now();
  const modelsDir = path.resolve(options.modelsDir ?? userModelsDirectory());
  checkNewModelId(modelsDir, options.id);
  const overrides = Object.fromEntries(
    Object.entries(options.settings ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<FinetuneSettings>;
  const ownRunDir = options.runDir === undefined;
  const runDir = options.runDir
    ? path.resolve(options.runDir)
    : await mkdtemp(path.join(tmpdir(), 'bracketeer-finetune-'));
  let keepRunDir = false;
  let base: LoadedModel | null = null;
  let optimizer: ScheduledAdam | null = null;
  let disposeFrozen = () => {};
  try {
    const existing = await readCheckpointState(runDir);
    if (existing && !options.resume) {
      throw new InvalidInputError(
        `${runDir} already holds a fine-tuning job (step ${existing.step}); resume it or choose another folder`,
      );
    }
    const job = existing ? await readJobState(runDir) : null;
    if (job && job.id !== options.id) {
      throw new InvalidInputError(
        `${runDir} holds the job for model "${job.id}", not "${options.id}"`,
      );
    }
    const settings = job
      ? mergeSettings(job.settings, overrides)
      : { ...DEFAULT_FINETUNE_SETTINGS, ...overrides };
    const from = job?.baseModel ?? options.from ?? DEFAULT_MODEL_ID;
    base = await loadModel(from);
    if (job && job.baseSha256 !== base.sha256) {
      throw new InvalidInputError(
        `base model "${from}" changed since the job started (SHA-256 ${base.sha256.slice(0, 12)}…, job has ${job.baseSha256.slice(0, 12)}…)`,
      );
    }
    const model = base.model;
    validateFinetuneSettings(settings, model.stride);

    // Data
    options.onProgress?.({ fraction: 0, message: 'finding stacks' });
    const found = await findStacks(options.inputs);
    const stacks: FinetuneStack[] = [];
    for (const src of found.sources) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: 0, message: `preparing ${src.name}` });
      stacks.push(
        await prepareStack(src, {
          holdoutFraction: settings.holdoutFraction,
          ghostSigma: settings.ghostSigma,
          signal: options.signal,
        }),
      );
    }
    const cropSize = fittingCrop(stacks, settings.cropSize, model.stride);
    const sampler = new PairSampler(stacks, {
      cropSize,
      stride: model.stride,
      seed: settings.seed,
      maxPairEv: settings.maxPairEv,
      maxFrameEv: settings.maxFrameEv,
      maxGhostFraction: settings.maxGhostFraction,
    });
    const summaries = stacks.map((s, i) => summary(s, sampler.coverage[i]));
    for (const st of summaries) options.onEvent?.({ type: 'stack', stack: st });
    const holdouts = stacks.map(holdoutStack);
    if (holdouts.every((h) => h.evs.length === 0)) {
      throw new InvalidInputError(
        'no stack has a frame at ±1, ±2 or ±3 EV from its reference: nothing to validate on',
      );
    }
    const validate = () =>
      scoreHoldout(() => modelPredictor(model), holdouts, { signal: options.signal });

    // State
    optimizer = new ScheduledAdam(settings.learningRate);
    await mkdir(runDir, { recursive: true });
    const bestBase = path.join(runDir, 'best', 'model');
    const saveBest = async (step: number, score: HoldoutScore) => {
      await mkdir(path.dirname(bestBase), { recursive: true });
      await saveWeights(bestBase, model.params, {
        config: model.config,
        step,
        validation: score,
        fineTune: { baseModel: from, baseSha256: base!.sha256 },
      });
    };
    let state: JobState;
    let step = existing?.step ?? 0;
    let best = existing?.best ?? null;
    if (existing && job) {
      await restoreCheckpoint(runDir, existing, model, optimizer);
      state = { ...job, settings };
    } else {
      options.onProgress?.({ fraction: 0, message: 'validating the base model' });
      const before = await validate();
      const baselines = {
        // the camera profile alone: the response calibrated on the training columns
        profile: await scoreHoldout((i) => oracleCrfPredictor(stacks[i].response), holdouts),
        naive: await scoreHoldout(() => naiveSrgbPredictor(), holdouts),
      };
      await saveBest(0, before);
      best = { step: 0, meanPsnr: before.meanPsnr };
      state = {
        format: 'bracketeer-finetune',
        version: 1,
        id: options.id,
        baseModel: from,
        baseSha256: base.sha256,
        settings,
        before,
        baselines,
        history: [{ step: 0, score: before }],
        trainSeconds: 0,
      };
      if (!ownRunDir) await writeJobState(runDir, state);
      options.onEvent?.({
        type: 'validation',
        step: 0,
        score: before,
        improved: true,
        bestStep: 0,
      });
    }
    options.onEvent?.({
      type: 'start',
      step,
      resumed: existing !== null,
      note: existing
        ? `resumed at step ${step} of ${settings.steps}`
        : `fine-tuning ${from} on ${stacks.length} stack(s), ${settings.steps} steps planned, ${cropSize}-px crops`,
    });

    // Loop
    const schedule = finetuneSchedule(settings);
    const frozen = settings.freezeBatchNorm
      ? model.params
          .list()
          .filter((e) => !e.trainable)
          .map((e) => ({ variable: e.variable, value: tf.clone(e.variable) }))
      : [];
    disposeFrozen = () => frozen.forEach((f) => f.value.dispose());
    const sessionStart = performance.now();
    let stepsThisSession = 0;
    let ema = 0;
    let stoppedBy: FinetuneResult['stoppedBy'] = 'done';
    const checkpoint = async () => {
      if (ownRunDir) return;
      const trainSeconds = state.trainSeconds + (performance.now() - sessionStart) / 1000;
      const cp = await saveCheckpoint(runDir, model, optimizer!, {
        step,
        samplesConsumed: step * settings.batchSize,
        trainSeconds,
        best,
        settings: settings as unknown as Record<string, unknown>,
      });
      await writeJobState(runDir, { ...state, trainSeconds });
      options.onEvent?.({ type: 'checkpoint', step, folder: cp.folder });
    };
    const sinceBest = () => state.history.filter((h) => h.step > (best?.step ?? 0)).length;
    if (best && sinceBest() >= settings.patience) stoppedBy = 'early-stop';
    while (stoppedBy === 'done' && step < settings.steps) {
      // trainStep is synchronous: yield so that a Ctrl-C (the abort) is seen between steps
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) {
        stoppedBy = 'cancelled';
        break;
      }
      const ts = performance.now();
      const batch = sampler.batch(step * settings.batchSize, settings.batchSize);
      const lr = learningRateAt(schedule, step);
      optimizer.setLearningRate(lr);
      const shape: [number, number, number, number] = [batch.size, cropSize, cropSize, 3];
      const a = tf.tensor4d(batch.a, shape);
      const b = tf.tensor4d(batch.b, shape);
      let result: StepResult;
      try {
        result = trainStep(
          model,
          optimizer,
          { a, b, ratio: batch.ratio },
          { clipNorm: settings.clipNorm },
        );
      } finally {
        a.dispose();
        b.dispose();
      }
      for (const f of frozen) f.variable.assign(f.value);
      step++;
      stepsThisSession++;
      const dt = (performance.now() - ts) / 1000;
      ema = stepsThisSession === 1 ? dt : 0.9 * ema + 0.1 * dt;
      const etaSeconds = (settings.steps - step) * ema;
      options.onEvent?.({ type: 'step', step, result, lr, stepsPerSecond: 1 / ema, etaSeconds });
      options.onProgress?.({
        fraction: step / settings.steps,
        message: `step ${step}/${settings.steps} loss ${result.total.toFixed(4)} ${(1 / ema).toFixed(2)} steps/s`,
      });
      if (step % settings.validateEvery === 0 || step === settings.steps) {
        let score: HoldoutScore;
        try {
          score = await validate();
        } catch (err) {
          if (options.signal?.aborted) {
            stoppedBy = 'cancelled';
            break;
          }
          throw err;
        }
        const improved = score.meanPsnr > (best?.meanPsnr ?? -Infinity) + settings.minImprovementDb;
        state = { ...state, history: [...state.history, { step, score }] };
        if (improved) {
          best = { step, meanPsnr: score.meanPsnr };
          await saveBest(step, score);
        }
        options.onEvent?.({ type: 'validation', step, score, improved, bestStep: best!.step });
        if (!improved && sinceBest() >= settings.patience) {
          stoppedBy = 'early-stop';
          options.onEvent?.({ type: 'early-stop', step, bestStep: best!.step });
        }
      }
      if (step % settings.checkpointEvery === 0) await checkpoint();
    }
    const sessionSeconds = (performance.now() - sessionStart) / 1000;
    const stepsPerSecond = stepsThisSession > 0 ? stepsThisSession / sessionSeconds : 0;
    const bestStep = best?.step ?? 0;
    const after = state.history.find((h) => h.step === bestStep)?.score ?? state.before;
    const table = beforeAfterTable(state.before, after, state.baselines);
    const common = {
      step,
      bestStep,
      before: state.before,
      after,
      baselines: state.baselines,
      table,
      stacks: summaries,
      notes: found.notes,
      cropSize,
      stepsPerSecond,
    };
    if (stoppedBy === 'cancelled') {
      if (!ownRunDir && stepsThisSession > 0) {
        await checkpoint();
        keepRunDir = true;
      }
      return {
        ...common,
        stoppedBy,
        model: null,
        wallSeconds: (performance.now() - t0) / 1000,
        runDir: keepRunDir ? runDir : null,
      };
    }
    const wallSeconds = state.trainSeconds + (performance.now() - t0) / 1000;
    const profile = cameraProfile(stacks);
    const createdAt = new Date().toISOString();
    const facts = {
      id: options.id,
      baseModel: from,
      baseSha256: base.sha256,
      config: model.config.name,
      stacks: summaries,
      settings,
      cropSize,
      stepsDone: step,
      bestStep,
      stoppedBy,
      wallSeconds,
      stepsPerSecond,
      before: state.before,
      after,
      baselines: state.baselines,
      profile,
      createdAt,
    };
    const saved = await writeModelFolder({
      modelsDir,
      id: options.id,
      weightsBase: bestBase,
      meta: { finetuneOf: from },
      profile,
      card: (sha) => renderCard(facts, sha),
      // the ONNX graphs of the saved (best) weights, for the ONNX Runtime inference path
      onnx: async (dir) => {
        const best = createMultiExposureModel(model.config);
        try {
          await loadWeights(`${bestBase}.json`, best.params);
          return await writeOnnxFiles(best, dir);
        } finally {
          best.dispose();
        }
      },
      descriptor: {
        architecture: 'multi-exposure',
        config: model.config.name,
        description: `Fine-tune of ${from} on ${stacks.length} user stack(s)${profile.key ? ` from ${profile.key}` : ''}`,
        kind: 'fine-tune',
        baseModel: from,
        baseSha256: base.sha256,
        createdAt,
        cameraProfile: {
          key: profile.key,
          residual: profile.residual,
          file: 'camera-response.json',
        },
        finetune: {
          stacks: summaries.map((s) => ({
            name: s.name,
            folder: s.folder,
            frames: s.frames,
            camera: s.camera,
          })),
          settings,
          cropSize,
          stepsDone: step,
          bestStep,
          stoppedBy,
          wallSeconds,
          holdoutFraction: settings.holdoutFraction,
          before: state.before.perOffset,
          after: after.perOffset,
          beforeMean: state.before.meanPsnr,
          afterMean: after.meanPsnr,
        },
      },
    });
    options.onEvent?.({ type: 'saved', id: options.id, ...saved });
    return {
      ...common,
      stoppedBy,
      model: { id: options.id, ...saved },
      wallSeconds,
      runDir: null,
    };
  } finally {
    disposeFrozen();
    optimizer?.dispose();
    base?.model.dispose();
    // The temporary work folder goes; a caller-given one is the caller's.
    if (ownRunDir && !keepRunDir) await rm(runDir, { recursive: true, force: true });
  }
}
