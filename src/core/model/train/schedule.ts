/**
 * Learning-rate schedule: linear warm-up from 0, then cosine decay to a floor.
 */
import { InvalidInputError } from '../../errors.js';

/** Schedule settings. */
export interface LrSchedule {
  /** peak learning rate, > 0 */
  readonly base: number;
  /** steps of linear warm-up (0 = none) */
  readonly warmupSteps: number;
  /** step at which the cosine reaches the floor (the planned length of the run) */
  readonly totalSteps: number;
  /** floor as a fraction of `base`, 0…1 */
  readonly minFraction: number;
}

/** Throws InvalidInputError for an impossible schedule. */
export function validateSchedule(s: LrSchedule): void {
  if (!(s.base > 0) || !Number.isFinite(s.base)) {
    throw new InvalidInputError(`learning rate must be a positive number, got ${s.base}`);
  }
  if (!Number.isInteger(s.warmupSteps) || s.warmupSteps < 0) {
    throw new InvalidInputError(`warm-up steps must be an integer ≥ 0, got ${s.warmupSteps}`);
  }
  if (!Number.isInteger(s.totalSteps) || s.totalSteps < 1) {
    throw new InvalidInputError(`total steps must be an integer ≥ 1, got ${s.totalSteps}`);
  }
  if (!(s.minFraction >= 0 && s.minFraction <= 1)) {
    throw new InvalidInputError(`minimum LR fraction must be in [0, 1], got ${s.minFraction}`);
  }
}

/**
 * Learning rate for the update made at `step` (0-based).
 * Warm-up: base·(step+1)/warmup; then base·(f + (1−f)·(1+cos(π·t))/2) with t the fraction of the
 * post-warm-up steps done, clamped to 1 (steps past `totalSteps` stay at the floor).
 */
export function learningRateAt(s: LrSchedule, step: number): number {
  if (step < s.warmupSteps) return (s.base * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  const f = s.minFraction;
  return s.base * (f + ((1 - f) * (1 + Math.cos(Math.PI * t))) / 2);
}
