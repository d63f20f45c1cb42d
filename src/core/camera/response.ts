/**
 * Camera response curves. A camera maps sensor exposure X = E·Δt (irradiance × time) to a pixel
 * code value Z through its response f: Z = f(X). Merging needs the inverse, X = f⁻¹(Z).
 */

/** Number of code values a response curve is tabulated on (8-bit codes 0…255). */
export const RESPONSE_LEVELS = 256;

/**
 * Inverse camera response, tabulated per channel: `inverse[c][z]` is the relative linear exposure
 * X (arbitrary scale, > 0, non-decreasing in z) that produces code value z (0…255) in channel c.
 * This is exp(g(z)) in Debevec–Malik's notation, the same convention as OpenCV's CRF.
 */
export interface InverseResponse {
  /** One Float32Array of {@link RESPONSE_LEVELS} entries per channel (1 or 3 channels). */
  readonly inverse: readonly Float32Array[];
  /** How the curve was obtained, e.g. "debevec", "robertson", "srgb", "parametric:…". */
  readonly source: string;
  /** Fit residual where the curve was calibrated (RMS in the solver's units), else undefined. */
  readonly residual?: number;
}

/**
 * Quantises an encoded value in [0, 1] to its 8-bit code: round(v·255) clamped to 0…255; NaN
 * gives 0. Allocation-free, for inner loops of calibration and merging.
 */
export function toCode(v: number): number {
  const s = v * 255 + 0.5;
  return s >= 255 ? 255 : s > 0 ? s | 0 : 0;
}
