/**
 * Parametric camera response families, for synthesising virtual brackets and training data with
 * camera-like curves. Every forward curve maps relative exposure x ∈ [0, ∞) to an encoded value in
 * [0, 1]: non-decreasing, f(0) = 0, and f(x) = 1 for x ≥ 1 (some saturate earlier).
 */
import { InvalidInputError } from '../errors.js';
import type { ParamMeta } from '../tonemap/operator.js';
import { responseFromForward } from './response-builders.js';
import type { InverseResponse } from './response.js';
import type { Rng } from './rng.js';

/** Describes one family of response curves. */
export interface ResponseFamilyMeta {
  readonly id: 'gamma-toe' | 'log-logistic' | 'generalised-gamma' | 'camera-jpeg';
  readonly name: string;
  /** Every parameter with its sampling range [min, max] and default. */
  readonly params: readonly ParamMeta[];
}

/** A concrete curve of a family. */
export interface ParametricResponse {
  readonly family: ResponseFamilyMeta['id'];
  readonly params: Readonly<Record<string, number>>;
  /** Forward curve: exposure x ≥ 0 → encoded value in [0, 1] (NaN/negative → 0). */
  readonly forward: (x: number) => number;
  /** Its tabulated inverse (one channel, source "parametric:<id>"). */
  readonly inverse: InverseResponse;
}

/** A family: its meta, a constructor from parameters and a random camera-like draw. */
export interface ResponseFamily {
  readonly meta: ResponseFamilyMeta;
  /** Builds the curve; missing parameters take their defaults. @throws InvalidInputError */
  create(params?: Readonly<Record<string, number>>): ParametricResponse;
  /** Draws every parameter uniformly in its range (rejecting non-monotonic draws). */
  sampleResponse(rng: Rng): ParametricResponse;
}

function p(
  key: string,
  label: string,
  min: number,
  max: number,
  def: number,
  description: string,
): ParamMeta {
  return { key, label, unit: '', min, max, default: def, step: (max - min) / 100, description };
}

type Curve = (x: number) => number;

/** sRGB-style power law with a linear toe, C¹ at the junction x0 and f(1) = 1. */
function gammaToeCurve(gamma: number, x0: number): Curve {
  const k = x0 ** (1 / gamma) * (1 - 1 / gamma);
  const a = k / (1 - k);
  const s = ((1 + a) / gamma) * x0 ** (1 / gamma - 1);
  return (x) => (x > 0 ? (x >= 1 ? 1 : x < x0 ? s * x : (1 + a) * x ** (1 / gamma) - a) : 0);
}

function logLogisticCurve(n: number, k: number): Curve {
  const kn = k ** n;
  return (x) => {
    if (!(x > 0)) return 0;
    if (x >= 1) return 1;
    const xn = x ** n;
    return ((1 + kn) * xn) / (xn + kn);
  };
}

function generalisedGammaCurve(a: number, b: number, c: number): Curve {
  return (x) => (x > 0 ? (x >= 1 ? 1 : x ** (a + b * x + c * x * x)) : 0);
}

function cameraJpegCurve(headroom: number, contrast: number, pivot: number): Curve {
  const base = gammaToeCurve(2.4, 0.0031308);
  const sig = (u: number): number => 1 / (1 + Math.exp(-contrast * (u - pivot)));
  const s0 = sig(0);
  const norm = sig(1) - s0;
  return (x) => (x > 0 ? (sig(base(Math.min(1, headroom * x))) - s0) / norm : 0);
}

/** True when the curve is non-decreasing and strictly increasing somewhere in each decade. */
function isMonotonic(f: Curve): boolean {
  let prev = 0;
  for (let i = 0; i <= 1200; i++) {
    const v = f(10 ** (-6 + (6 * i) / 1200));
    if (!(v >= prev - 1e-12) || v > 1 + 1e-9) return false;
    prev = v;
  }
  return f(0) === 0 && Math.abs(f(1) - 1) < 1e-9;
}

function family(
  meta: ResponseFamilyMeta,
  build: (v: Readonly<Record<string, number>>) => Curve,
): ResponseFamily {
  const create = (params: Readonly<Record<string, number>> = {}): ParametricResponse => {
    const values: Record<string, number> = {};
    for (const m of meta.params) {
      const v = params[m.key] ?? m.default;
      if (!Number.isFinite(v)) throw new InvalidInputError(`${meta.id}: ${m.key} is ${v}`);
      values[m.key] = v;
    }
    const forward = build(values);
    if (!isMonotonic(forward)) {
      throw new InvalidInputError(
        `${meta.id}: parameters ${JSON.stringify(values)} give a non-monotonic curve`,
      );
    }
    const label = meta.params.map((m) => `${m.key}=${+values[m.key].toFixed(4)}`).join(',');
    const inverse = responseFromForward(forward, `parametric:${meta.id}(${label})`);
    return { family: meta.id, params: values, forward, inverse };
  };
  const sampleResponse = (rng: Rng): ParametricResponse => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const draw: Record<string, number> = {};
      for (const m of meta.params) draw[m.key] = m.min + (m.max - m.min) * rng();
      if (isMonotonic(build(draw))) return create(draw);
    }
    return create();
  };
  return { meta, create, sampleResponse };
}

/** (a) Power law with a linear toe: the sRGB family (γ = 2.4, x0 = 0.0031308 is sRGB). */
export const gammaToeFamily = family(
  {
    id: 'gamma-toe',
    name: 'Gamma with linear toe (sRGB-like)',
    params: [
      p('gamma', 'Gamma', 1.8, 2.6, 2.4, 'Exponent γ of the power segment (1+a)·x^(1/γ) − a.'),
      p('toe', 'Toe end', 0.0005, 0.02, 0.0031308, 'Exposure x0 below which the curve is linear.'),
    ],
  },
  (v) => gammaToeCurve(v.gamma, v.toe),
);

/** (b) Filmic S-curve in log exposure: log-logistic (1+kⁿ)xⁿ/(xⁿ+kⁿ), saturating at x = 1. */
export const logLogisticFamily = family(
  {
    id: 'log-logistic',
    name: 'Filmic log-logistic S-curve',
    params: [
      p('n', 'Slope', 0.45, 0.9, 0.6, 'Exponent n: slope of the S in log exposure.'),
      p('k', 'Shoulder', 0.2, 2, 0.6, 'Half-saturation exposure k: smaller = softer shoulder.'),
    ],
  },
  (v) => logLogisticCurve(v.n, v.k),
);

/** (c) Generalised gamma with a polynomial exponent, f(x) = x^(a + b·x + c·x²). */
export const generalisedGammaFamily = family(
  {
    id: 'generalised-gamma',
    name: 'Generalised gamma x^(a+bx+cx²)',
    params: [
      p('a', 'Exponent a', 0.35, 0.6, 0.45, 'Base exponent (≈ 1/γ in the shadows).'),
      p('b', 'Exponent b', -0.15, 0.25, 0.05, 'Linear change of the exponent with exposure.'),
      p('c', 'Exponent c', -0.1, 0.1, 0, 'Quadratic change of the exponent with exposure.'),
    ],
  },
  (v) => generalisedGammaCurve(v.a, v.b, v.c),
);

/** (d) Camera JPEG look: sRGB, then a sigmoid contrast curve, with highlight headroom. */
export const cameraJpegFamily = family(
  {
    id: 'camera-jpeg',
    name: 'Camera JPEG (contrast-boosted sRGB, shoulder)',
    params: [
      p(
        'headroom',
        'Headroom',
        1,
        1.6,
        1.2,
        'Exposure gain before clipping: saturates at x = 1/h.',
      ),
      p('contrast', 'Contrast', 3, 8, 5, 'Steepness of the sigmoid applied to sRGB values.'),
      p('pivot', 'Pivot', 0.35, 0.6, 0.45, 'sRGB value at the centre of the contrast sigmoid.'),
    ],
  },
  (v) => cameraJpegCurve(v.headroom, v.contrast, v.pivot),
);

/** All families, in a fixed order. */
export const RESPONSE_FAMILIES: readonly ResponseFamily[] = [
  gammaToeFamily,
  logLogisticFamily,
  generalisedGammaFamily,
  cameraJpegFamily,
];

/**
 * Draws a random camera-like response: a family chosen uniformly, then its parameters.
 * @param rng - uniform [0, 1) generator (e.g. mulberry32(seed)), consumed deterministically
 */
export function sampleCameraResponse(rng: Rng): ParametricResponse {
  const f = RESPONSE_FAMILIES[Math.min(RESPONSE_FAMILIES.length - 1, Math.floor(rng() * 4))];
  return f.sampleResponse(rng);
}
