/** The editor's tone settings as the export dialog takes them. */

/** Operator, its parameters and the adjustments (exposure EV, saturation, gamma). */
export interface ToneSettings {
  readonly op: string;
  readonly params: Record<string, number>;
  readonly exposure: number;
  readonly saturation: number;
  readonly gamma: number;
}

/**
 * Tone settings from the editor's state (`adjust` keys exposure/saturation/gamma; missing keys
 * take the neutral values 0, 1, 1).
 */
export function toneSettings(
  op: string,
  params: Record<string, number>,
  adjust: Record<string, number>,
): ToneSettings {
  return {
    op,
    params: { ...params },
    exposure: adjust.exposure ?? 0,
    saturation: adjust.saturation ?? 1,
    gamma: adjust.gamma ?? 1,
  };
}
