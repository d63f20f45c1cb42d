/**
 * Photographic adjustments around the tone-mapping operators (exposure, saturation, display
 * gamma) and the "clip" baseline operator (exposure + clamp + sRGB).
 */
import type { FloatImage, HdrImage } from '../image/image.js';
import { InvalidInputError } from '../errors.js';
import type { OperatorMeta, ParamMeta } from './operator.js';
import { resolveParams } from './params.js';
import {
  LUM_B,
  LUM_G,
  LUM_R,
  displayEncode,
  rgbOf,
  safeRgb,
  srgbDecodeValue,
  withDisplayStage,
} from './display.js';

/** Adjustment values; missing keys are neutral (exposure 0 EV, saturation 1, gamma 1). */
export interface Adjustments {
  /** Exposure in EV: display-linear values are multiplied by 2^EV. */
  readonly exposure?: number;
  /** Saturation around luminance in linear RGB: 0 = grey, 1 = unchanged, 2 = doubled. */
  readonly saturation?: number;
  /** Display gamma on the encoded output, out^(1/γ): > 1 brightens mid-tones, 1 = none. */
  readonly gamma?: number;
}

/** Metas of the adjustments: drive the panel's sliders and the CLI's flags. */
export const adjustmentsMeta: readonly ParamMeta[] = [
  {
    key: 'exposure',
    label: 'Exposure',
    unit: 'EV',
    min: -10,
    max: 10,
    default: 0,
    step: 0.1,
    description: 'Multiplies the tone-mapped linear values by 2^EV before display encoding.',
  },
  {
    key: 'saturation',
    label: 'Saturation',
    unit: '',
    min: 0,
    max: 3,
    default: 1,
    step: 0.01,
    description: 'Scales colour around luminance in linear RGB: 0 = greyscale, 1 = unchanged.',
  },
  {
    key: 'gamma',
    label: 'Gamma',
    unit: '',
    min: 0.2,
    max: 5,
    default: 1,
    step: 0.01,
    description: 'Extra display gamma on the encoded output (out^(1/γ)); > 1 lifts mid-tones.',
  },
];

/** True when the adjustments change nothing. */
export function isNeutral(adj: Adjustments): boolean {
  return (adj.exposure ?? 0) === 0 && (adj.saturation ?? 1) === 1 && (adj.gamma ?? 1) === 1;
}

/** Validates adjustments against {@link adjustmentsMeta} and fills in neutral defaults. */
export function resolveAdjustments(adj: Adjustments = {}): Required<Adjustments> {
  const raw: Record<string, number> = {};
  for (const [k, v] of Object.entries(adj)) if (v !== undefined) raw[k] = v as number;
  const r = resolveParams(adjustmentsMeta, raw);
  return { exposure: r.exposure, saturation: r.saturation, gamma: r.gamma };
}

/**
 * Exposure change of a scene-linear image: every sample × 2^EV (NaN/Inf/negative → 0).
 * @param ev - exposure in EV, finite
 * @returns a new 3-channel HDR image
 */
export function exposure(img: HdrImage, ev: number): HdrImage {
  if (!Number.isFinite(ev)) throw new InvalidInputError(`Exposure must be finite, got ${ev}`);
  return {
    kind: 'hdr',
    width: img.width,
    height: img.height,
    channels: 3,
    data: safeRgb(img, 2 ** ev),
  };
}

/**
 * Saturation of a linear RGB image around its Rec. 709 luminance: C' = L + s·(C − L), with
 * negative results clamped to 0. A 1-channel image is returned unchanged (copied).
 * @param s - saturation factor ≥ 0 (1 = unchanged)
 * @returns a new image of the same kind
 */
export function saturate<T extends FloatImage>(img: T, s: number): T {
  if (!(s >= 0) || !Number.isFinite(s)) {
    throw new InvalidInputError(`Saturation must be a finite number ≥ 0, got ${s}`);
  }
  const d = img.data;
  const out = new Float32Array(d.length);
  if (img.channels === 1) {
    out.set(d);
    return { ...img, data: out };
  }
  for (let i = 0; i < d.length; i += 3) {
    const r = d[i];
    const g = d[i + 1];
    const b = d[i + 2];
    const l = LUM_R * r + LUM_G * g + LUM_B * b;
    const a = l + s * (r - l);
    const c = l + s * (g - l);
    const e = l + s * (b - l);
    out[i] = a > 0 ? a : 0;
    out[i + 1] = c > 0 ? c : 0;
    out[i + 2] = e > 0 ? e : 0;
  }
  return { ...img, data: out };
}

/**
 * Display gamma on encoded values in [0, 1]: v' = clamp(v)^(1/γ).
 * @param g - gamma > 0 (1 = unchanged)
 * @returns a new image of the same kind
 */
export function applyGamma<T extends FloatImage>(img: T, g: number): T {
  if (!(g > 0) || !Number.isFinite(g)) throw new InvalidInputError(`Gamma must be > 0, got ${g}`);
  const inv = 1 / g;
  const d = img.data;
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    out[i] = v > 0 ? (v < 1 ? Math.pow(v, inv) : 1) : 0;
  }
  return { ...img, data: out };
}

/**
 * Applies adjustments to an operator's sRGB-encoded output (any operator): decodes to linear,
 * applies exposure and saturation, then re-encodes through the shared display stage with the
 * gamma. Returns the input itself when the adjustments are neutral.
 * @param img - display-referred sRGB-encoded image in [0, 1] (1 or 3 channels)
 * @returns a 3-channel display-referred image in [0, 1]
 */
export function applyAdjustments(img: FloatImage, adj: Adjustments = {}): FloatImage {
  const a = resolveAdjustments(adj);
  if (isNeutral(a)) return img;
  const n = img.width * img.height;
  // sRGB decode is smooth: a uniform 4096-entry table is exact to ~1e-7.
  const size = 4096;
  const lut = new Float32Array(size + 2);
  for (let i = 0; i <= size; i++) lut[i] = srgbDecodeValue(i / size);
  lut[size + 1] = lut[size];
  const lin = new Float32Array(n * 3);
  const d = img.data;
  const step = img.channels;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    for (let c = 0; c < 3; c++) {
      let v = d[i * step + (step === 3 ? c : 0)];
      v = v > 0 ? (v < 1 ? v : 1) : 0;
      const u = v * size;
      const k = u | 0;
      lin[j + c] = lut[k] + (u - k) * (lut[k + 1] - lut[k]);
    }
  }
  return displayEncode(lin, img.width, img.height, {
    exposure: a.exposure,
    saturation: a.saturation,
    postGamma: a.gamma,
  });
}

const clipMeta: OperatorMeta = {
  id: 'clip',
  name: 'Linear clip',
  reference: 'Baseline: scene-linear × 2^EV, clamped to [0, 1], sRGB encoded (no tone mapping).',
  kind: 'global',
  params: [
    {
      key: 'exposure',
      label: 'Exposure',
      unit: 'EV',
      min: -20,
      max: 20,
      default: 0,
      step: 0.1,
      description: 'Scene-linear values are multiplied by 2^EV; 1.0 after scaling is white.',
    },
  ],
};

/** Baseline operator "clip": exposure, gamut-safe clamp, sRGB (what a camera JPEG of the HDR would be). */
export const clip = withDisplayStage(clipMeta, (image, params) => ({
  rgb: rgbOf(image),
  scale: 2 ** resolveParams(clipMeta, params).exposure,
  gamma: 'srgb',
}));
