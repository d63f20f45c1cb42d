/**
 * The fine-tuning job itself, on whatever thread hosts it (the fine-tune worker, or the caller's
 * in tests): the engine's finetuneModel with its events turned into small wire events. Step
 * events are throttled to one per `stepIntervalMs` (the first and last steps always pass).
 */
import path from 'node:path';
import type { JobOptions } from '../../../core/job.js';
import {
  DEFAULT_FINETUNE_SETTINGS,
  finetuneModel,
  type FinetuneEvent,
} from '../../../core/model/finetune/index.js';
import { CropRenderer, type CropSet } from './finetune-crops.js';
import type { FinetuneOutcome, FinetuneSpec, FinetuneWireEvent } from './finetune-protocol.js';

const EMPTY = {
  loss: null,
  stepsPerSecond: null,
  etaSeconds: null,
  psnr: null,
  meanPsnr: null,
  bestStep: null,
} as const;

/**
 * Converts an engine event to a wire event.
 * @param totalSteps - planned steps of the job
 */
export function toWireEvent(e: FinetuneEvent, totalSteps: number): FinetuneWireEvent {
  switch (e.type) {
    case 'stack':
      return {
        ...EMPTY,
        type: 'stack',
        step: 0,
        totalSteps,
        message: `stack ${e.stack.name}: ${e.stack.frames} frames ${e.stack.width}×${e.stack.height}, ${e.stack.camera ?? 'camera not recorded'}`,
      };
    case 'start':
      return { ...EMPTY, type: 'start', step: e.step, totalSteps, message: e.note };
    case 'step':
      return {
        ...EMPTY,
        type: 'step',
        step: e.step,
        totalSteps,
        loss: e.result.total,
        stepsPerSecond: e.stepsPerSecond,
        etaSeconds: Number.isFinite(e.etaSeconds) ? e.etaSeconds : null,
        message: `step ${e.step}/${totalSteps}`,
      };
    case 'validation':
      return {
        ...EMPTY,
        type: 'validation',
        step: e.step,
        totalSteps,
        psnr: e.score.perOffset,
        meanPsnr: e.score.meanPsnr,
        bestStep: e.bestStep,
        message: `step ${e.step}: held-out PSNR ${e.score.meanPsnr.toFixed(2)} dB${e.improved ? ' (best)' : ''}`,
      };
    case 'early-stop':
      return {
        ...EMPTY,
        type: 'early-stop',
        step: e.step,
        totalSteps,
        bestStep: e.bestStep,
        message: `no improvement since step ${e.bestStep}: stopping early`,
      };
    case 'checkpoint':
      return { ...EMPTY, type: 'checkpoint', step: e.step, totalSteps, message: 'checkpoint' };
    case 'saved':
      return { ...EMPTY, type: 'saved', step: 0, totalSteps, message: `saved ${e.id}` };
  }
}

/**
 * Runs one fine-tuning job.
 * @param onEvent - receives the wire events (steps throttled)
 * @param stepIntervalMs - least time between two step events (default 100)
 * @param onCrops - receives before/after crops (none rendered without it)
 * @throws what finetuneModel throws (bad settings, no stacks, id taken…)
 */
export async function runFinetuneTask(
  spec: FinetuneSpec,
  options: JobOptions,
  onEvent: (e: FinetuneWireEvent) => void,
  stepIntervalMs = 100,
  onCrops?: (c: CropSet) => void,
): Promise<FinetuneOutcome> {
  let lastStepEmit = -Infinity;
  let totalSteps = spec.settings.steps ?? 0;
  const crops = onCrops
    ? new CropRenderer(
        spec.from,
        path.join(spec.runDir, 'best', 'model.json'),
        onCrops,
        (message) => onEvent({ ...EMPTY, type: 'crops', step: 0, totalSteps, message }),
      )
    : null;
  let haveReference = false;
  const track = (e: FinetuneEvent): void => {
    if (!crops) return;
    if (e.type === 'stack' && !haveReference) {
      haveReference = true;
      crops.setReference(
        path.join(e.stack.folder, e.stack.referenceFile),
        spec.settings.holdoutFraction ?? DEFAULT_FINETUNE_SETTINGS.holdoutFraction,
      );
    } else if (e.type === 'start' || (e.type === 'validation' && e.improved && e.step > 0)) {
      crops.update(e.step);
    }
  };
  const result = await finetuneModel({
    inputs: spec.inputs,
    from: spec.from,
    id: spec.id,
    modelsDir: spec.modelsDir,
    runDir: spec.runDir,
    resume: spec.resume,
    settings: spec.settings,
    signal: options.signal,
    onProgress: options.onProgress,
    onEvent: (e) => {
      track(e);
      if (e.type === 'step') {
        if (totalSteps === 0) totalSteps = e.step + Math.round(e.etaSeconds * e.stepsPerSecond);
        const now = performance.now();
        const last = e.step === 1 || e.step >= totalSteps;
        if (!last && now - lastStepEmit < stepIntervalMs) return;
        lastStepEmit = now;
      }
      onEvent(toWireEvent(e, totalSteps));
    },
  });
  await crops?.idle();
  return {
    stoppedBy: result.stoppedBy,
    step: result.step,
    bestStep: result.bestStep,
    beforeMean: result.before.meanPsnr,
    afterMean: result.after.meanPsnr,
    table: result.table,
    model: result.model,
    stepsPerSecond: result.stepsPerSecond,
    wallSeconds: result.wallSeconds,
    checkpointKept: result.runDir !== null,
  };
}
