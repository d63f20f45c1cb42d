/**
 * The live series of a fine-tune, built from its `finetune.progress` events: training loss per
 * step, mean held-out PSNR per validation, and the latest step, speed and ETA.
 */
import type { FinetuneProgressEvent } from '../../../shared/api/types.js';

/** Everything the training view shows about the running (or last) job. */
export interface TrainSeries {
  /** [step, loss] of the step events received. */
  readonly loss: readonly (readonly [number, number])[];
  /** [step, mean held-out PSNR dB] per validation. */
  readonly psnr: readonly (readonly [number, number])[];
  /** Held-out PSNR per offset of the first and the latest validation. */
  readonly firstPsnr: Readonly<Record<string, number>> | null;
  readonly lastPsnr: Readonly<Record<string, number>> | null;
  readonly step: number;
  readonly totalSteps: number;
  readonly stepsPerSecond: number | null;
  readonly etaSeconds: number | null;
  readonly bestStep: number | null;
  readonly message: string;
}

/** A series with no data. */
export const EMPTY_SERIES: TrainSeries = {
  loss: [],
  psnr: [],
  firstPsnr: null,
  lastPsnr: null,
  step: 0,
  totalSteps: 0,
  stepsPerSecond: null,
  etaSeconds: null,
  bestStep: null,
  message: '',
};

/** The series after one more event (a new object; the arrays are copied on change). */
export function addEvent(s: TrainSeries, e: FinetuneProgressEvent): TrainSeries {
  const base = { ...s, totalSteps: e.totalSteps || s.totalSteps, message: e.message };
  if (e.type === 'step' && e.loss !== null) {
    return {
      ...base,
      loss: [...s.loss, [e.step, e.loss]],
      step: e.step,
      stepsPerSecond: e.stepsPerSecond,
      etaSeconds: e.etaSeconds,
    };
  }
  if (e.type === 'validation' && e.meanPsnr !== null) {
    return {
      ...base,
      psnr: [...s.psnr.filter(([st]) => st !== e.step), [e.step, e.meanPsnr]],
      firstPsnr: s.firstPsnr ?? e.psnr,
      lastPsnr: e.psnr,
      bestStep: e.bestStep,
    };
  }
  if (e.type === 'start') return { ...base, step: e.step };
  return base;
}

/** "1 min 05 s" style ETA; "—" while unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
