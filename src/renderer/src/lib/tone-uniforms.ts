/**
 * The CPU half of the GPU tone mapping (no DOM): scene statistics of the decoded HDR and the
 * shader inputs of each global operator, ported from src/core/tonemap (see gl-tonemap.ts).
 */

/** Rec. 709 luminance weights (the engine's). */
export const LUM_R = 0.2126;
export const LUM_G = 0.7152;
export const LUM_B = 0.0722;

/** Scene statistics of a linear RGB image (the engine's definitions, safe samples only). */
export interface SceneStats {
  /** Largest Rec. 709 luminance of the safe RGB (0 for black). */
  readonly lmax: number;
  /** exp(mean(ln(1e-6·lmax + L))), the log-average drago03 and reinhard02 use. */
  readonly logAvg: number;
  /** Largest safe channel value. */
  readonly maxChannel: number;
}

/**
 * Statistics of interleaved scene-linear RGB (NaN, ±Inf and negatives count as 0).
 * @param rgb - width·height·3 samples
 */
export function sceneStats(rgb: Float32Array): SceneStats {
  const n = Math.floor(rgb.length / 3);
  let lmax = 0;
  let cmax = 0;
  for (let j = 0; j < n * 3; j += 3) {
    let r = rgb[j];
    let g = rgb[j + 1];
    let b = rgb[j + 2];
    r = r > 0 && r < Infinity ? r : 0;
    g = g > 0 && g < Infinity ? g : 0;
    b = b > 0 && b < Infinity ? b : 0;
    const l = LUM_R * r + LUM_G * g + LUM_B * b;
    if (l > lmax) lmax = l;
    const m = r > g ? (r > b ? r : b) : g > b ? g : b;
    if (m > cmax) cmax = m;
  }
  const delta = 1e-6 * lmax;
  let s = 0;
  for (let j = 0; j < n * 3; j += 3) {
    const r = rgb[j];
    const g = rgb[j + 1];
    const b = rgb[j + 2];
    s += Math.log(
      delta +
        LUM_R * (r > 0 && r < Infinity ? r : 0) +
        LUM_G * (g > 0 && g < Infinity ? g : 0) +
        LUM_B * (b > 0 && b < Infinity ? b : 0),
    );
  }
  return { lmax, logAvg: n > 0 && lmax > 0 ? Math.exp(s / n) : 0, maxChannel: cmax };
}

/** True when the operator with these parameters is rendered by the shader. */
export function glSupports(op: string, params: Readonly<Record<string, number>>): boolean {
  switch (op) {
    case 'drago03':
    case 'clip':
      return true;
    case 'mulaw':
      return (params.percentile ?? 100) >= 100;
    case 'reinhard02':
      return (params.mode ?? 0) < 0.5 && ((params.white ?? 0) > 0 || (params.burn ?? 100) >= 100);
    default:
      return false;
  }
}

/** Shader inputs of one render (see the fragment shader for their use). */
export interface ToneUniforms {
  /** 0: linear × scale; 1: drago03 curve; 2: reinhard02 global curve. */
  readonly mode: number;
  /** Linear factor incl. 2^exposure. */
  readonly scale: number;
  readonly lmax: number;
  /** Curve constants: drago (1/lwa, k, bias power), reinhard (k, 1/W², –). */
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  /** Colour ratio exponent of the tone step. */
  readonly ratioExp: number;
  /** Adjustment saturation around luminance. */
  readonly saturation: number;
  /** 0: sRGB; 1: Drago's paper gamma (start, slope, power); 2: μ-law (μ, 1/ln(1 + μ)). */
  readonly curve: number;
  readonly k0: number;
  readonly k1: number;
  readonly k2: number;
  /** 1 / post gamma. */
  readonly postInv: number;
}

/**
 * Maps an operator, its parameters (defaults filled in by the caller) and the adjustments to
 * shader inputs, as the engine's operator would configure its display stage.
 * @throws Error for an operator {@link glSupports} rejects
 */
export function toneUniforms(
  op: string,
  params: Readonly<Record<string, number>>,
  adjust: Readonly<Record<string, number>>,
  st: SceneStats,
): ToneUniforms {
  const ev = 2 ** (adjust.exposure ?? 0);
  const base = {
    lmax: Math.max(st.lmax, 1e-30),
    c0: 0,
    c1: 0,
    c2: 0,
    ratioExp: 1,
    saturation: adjust.saturation ?? 1,
    curve: 0,
    k0: 0,
    k1: 0,
    k2: 0,
    postInv: 1 / (adjust.gamma ?? 1),
  };
  const black = !(st.lmax > 0);
  switch (op) {
    case 'clip':
      return { ...base, mode: 0, scale: ev * 2 ** (params.exposure ?? 0) };
    case 'mulaw': {
      const mu = params.mu ?? 5000;
      const norm = st.maxChannel;
      return {
        ...base,
        mode: 0,
        scale: norm > 0 ? ev / norm : 0,
        curve: 2,
        k0: mu,
        k1: 1 / Math.log1p(mu),
      };
    }
    case 'drago03': {
      const paper = (params.paperGamma ?? 0) >= 0.5;
      const p = 0.9 / 2.2;
      const start = Math.pow(0.099 / (1.099 * (1 - p)), 1 / p);
      const slope = (1.099 * Math.pow(start, p) - 0.099) / start;
      const lwa = st.logAvg;
      const lwmax = st.lmax / lwa;
      return {
        ...base,
        mode: black ? 0 : 1,
        scale: black ? 0 : ev,
        c0: 1 / lwa,
        c1: ((params.ldmax ?? 100) * 0.01) / Math.log10(lwmax + 1),
        c2: Math.log(params.bias ?? 0.85) / Math.log(0.5),
        ratioExp: params.saturation ?? 1,
        curve: paper ? 1 : 0,
        k0: start,
        k1: slope,
        k2: p,
      };
    }
    case 'reinhard02': {
      const k = (params.key ?? 0.18) / st.logAvg;
      const white = (params.white ?? 0) > 0 ? (params.white ?? 0) : k * st.lmax;
      return {
        ...base,
        mode: black ? 0 : 2,
        scale: black ? 0 : ev,
        c0: k,
        c1: white > 0 ? 1 / (white * white) : 0,
        ratioExp: params.saturation ?? 1,
      };
    }
    default:
      throw new Error(`gl-tonemap: operator "${op}" has no shader`);
  }
}

function safe(v: number): number {
  return v > 0 && v < Infinity ? v : 0;
}

function encodeRef(u: ToneUniforms, v: number): number {
  let y: number;
  if (u.curve === 1) y = v <= u.k0 ? u.k1 * v : 1.099 * Math.pow(v, u.k2) - 0.099;
  else if (u.curve === 2) y = Math.log(1 + u.k0 * v) * u.k1;
  else y = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  y = Math.min(1, Math.max(0, y));
  return u.postInv === 1 ? y : Math.pow(y, u.postInv);
}

/**
 * The fragment shader of gl-tonemap.ts for one pixel, in JS (the same steps in the same order), so
 * that the port can be checked against the engine without a GPU.
 * @returns encoded display RGB in [0, 1]
 */
export function shadePixel(
  u: ToneUniforms,
  r0: number,
  g0: number,
  b0: number,
): [number, number, number] {
  let r = safe(r0);
  let g = safe(g0);
  let b = safe(b0);
  if (u.mode !== 0) {
    const l = LUM_R * r + LUM_G * g + LUM_B * b;
    const lc = Math.min(l, u.lmax);
    let t: number;
    if (u.mode === 1) {
      const x = lc / u.lmax;
      t = x > 0 ? (u.c1 * Math.log(1 + lc * u.c0)) / Math.log(2 + 8 * Math.pow(x, u.c2)) : 0;
    } else {
      const ls = u.c0 * lc;
      t = (ls * (1 + ls * u.c1)) / (1 + ls);
    }
    const lo = t * u.scale;
    const rp = (v: number): number =>
      u.ratioExp === 1 ? v : v > 0 ? Math.pow(v, u.ratioExp) : u.ratioExp === 0 ? 1 : 0;
    if (!(l > 0)) r = g = b = lo;
    else {
      r = rp(r / l) * lo;
      g = rp(g / l) * lo;
      b = rp(b / l) * lo;
    }
  } else {
    r = Math.max(0, r * u.scale);
    g = Math.max(0, g * u.scale);
    b = Math.max(0, b * u.scale);
  }
  if (u.saturation !== 1) {
    const l = LUM_R * r + LUM_G * g + LUM_B * b;
    r = Math.max(0, l + u.saturation * (r - l));
    g = Math.max(0, l + u.saturation * (g - l));
    b = Math.max(0, l + u.saturation * (b - l));
  }
  const m = Math.max(r, g, b);
  if (m > 1) {
    const l = LUM_R * r + LUM_G * g + LUM_B * b;
    if (l >= 1) r = g = b = 1;
    else {
      const t = (1 - l) / (m - l);
      r = Math.min(1, l + t * (r - l));
      g = Math.min(1, l + t * (g - l));
      b = Math.min(1, l + t * (b - l));
    }
  }
  return [encodeRef(u, r), encodeRef(u, g), encodeRef(u, b)];
}
