import { CancelledError } from './errors.js';

/** Progress report of a long-running job. */
export interface Progress {
  /** Fraction done, 0…1. */
  readonly fraction: number;
  /** Short human-readable stage, e.g. "Merging". */
  readonly message?: string;
}

/** Options every long-running core function accepts. */
export interface JobOptions {
  /** Aborting makes the job throw {@link CancelledError} at its next check. */
  readonly signal?: AbortSignal;
  /** Called with monotonically non-decreasing fractions. */
  readonly onProgress?: (progress: Progress) => void;
}

/** Throws {@link CancelledError} if the signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * Splits a job into weighted stages so each stage can report 0…1 of its own.
 * @param onProgress - the job's callback (may be undefined)
 * @param start - fraction at which the stage starts, 0…1
 * @param span - share of the whole job this stage covers, 0…1
 */
export function subProgress(
  onProgress: JobOptions['onProgress'],
  start: number,
  span: number,
): ((p: Progress) => void) | undefined {
  if (!onProgress) return undefined;
  return (p) =>
    onProgress({
      fraction: start + span * Math.min(1, Math.max(0, p.fraction)),
      message: p.message,
    });
}
