/**
 * A small camera profile stored with a fine-tuned model: the inverse response calibrated
 * (Debevec) on the user's stacks, the fit residual, and the camera (EXIF Make + Model) it is
 * keyed by.
 */
import { RESPONSE_LEVELS } from '../../camera/response.js';
import type { FinetuneStack } from './stack-data.js';

/** What a profile is built from: each stack's name, camera and own calibrated response. */
export type ProfileStack = Pick<FinetuneStack, 'name' | 'make' | 'model' | 'style'> & {
  readonly response: Pick<FinetuneStack['response'], 'inverse' | 'residual'>;
};

/** The profile as stored in `camera-response.json` (and summarised in the descriptor). */
export interface CameraProfile {
  /** "Make Model" from the EXIF of the stacks' first frames, null when not recorded */
  readonly key: string | null;
  readonly make: string | null;
  readonly model: string | null;
  /**
   * picture style when every stack was shot with the same one (from EXIF/XMP, see
   * exif/photo-camera.ts), else null: the profile then applies to any style of the camera
   */
  readonly style: string | null;
  readonly source: 'debevec';
  /** mean Debevec fit residual over the stacks (weighted RMS, natural-log exposure units) */
  readonly residual: number;
  /** per stack: its name and residual */
  readonly stacks: readonly { readonly name: string; readonly residual: number }[];
  /**
   * inverse response per channel (256 codes, relative exposure, 1 at code 128): the geometric
   * mean over the stacks of each stack's own curve
   */
  readonly inverse: readonly (readonly number[])[];
}

/**
 * Combines the stacks' own responses into one profile (geometric mean per code; each Debevec
 * curve is normalised to 1 at code 128, so the curves share a scale). The camera key is the
 * first stack's Make + Model; stacks from different cameras are reported with key null. The
 * picture style is kept when all stacks share one.
 */
export function cameraProfile(stacks: readonly ProfileStack[]): CameraProfile {
  const cams = new Set(stacks.map((s) => `${s.make ?? ''}\u0000${s.model ?? ''}`));
  const first = stacks[0];
  const sameCamera = cams.size === 1 && (first.make !== undefined || first.model !== undefined);
  const channels = Math.max(...stacks.map((s) => s.response.inverse.length));
  const inverse: number[][] = [];
  for (let c = 0; c < channels; c++) {
    const curve: number[] = [];
    for (let z = 0; z < RESPONSE_LEVELS; z++) {
      let logSum = 0;
      for (const s of stacks) {
        const inv = s.response.inverse;
        logSum += Math.log(Math.max(1e-12, inv[Math.min(c, inv.length - 1)][z]));
      }
      curve.push(Number(Math.exp(logSum / stacks.length).toPrecision(6)));
    }
    inverse.push(curve);
  }
  const residual = stacks.reduce((a, s) => a + s.response.residual, 0) / stacks.length;
  const make = sameCamera ? (first.make ?? null) : null;
  const model = sameCamera ? (first.model ?? null) : null;
  const key = sameCamera ? [make, model].filter((v) => v).join(' ') : null;
  const styles = new Set(stacks.map((s) => s.style ?? null));
  const style = sameCamera && styles.size === 1 ? (first.style ?? null) : null;
  return {
    key,
    make,
    model,
    style,
    source: 'debevec',
    residual,
    stacks: stacks.map((s) => ({ name: s.name, residual: s.response.residual })),
    inverse,
  };
}
