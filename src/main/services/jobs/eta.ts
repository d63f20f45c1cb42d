/** Time-left estimate of a job from its elapsed time and fraction done. */

/**
 * Linear extrapolation: elapsed · (1 − f) / f.
 * @param elapsedSeconds - time since the job started running, s ≥ 0
 * @param fraction - done so far, 0…1
 * @returns seconds left (0 when done), or null while too early to say (f < 2 % or < 0.5 s)
 */
export function estimateEta(elapsedSeconds: number, fraction: number): number | null {
  if (fraction >= 1) return 0;
  if (!(fraction >= 0.02) || !(elapsedSeconds >= 0.5)) return null;
  return Math.max(0, (elapsedSeconds * (1 - fraction)) / fraction);
}
