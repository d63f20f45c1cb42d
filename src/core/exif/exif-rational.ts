/**
 * Rational numbers for EXIF RATIONAL (unsigned 32/32) and SRATIONAL (signed 32/32) fields.
 */

/** Largest RATIONAL numerator/denominator. */
export const MAX_U32 = 0xffffffff;
/** Largest SRATIONAL numerator/denominator magnitude. */
export const MAX_S32 = 0x7fffffff;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Closest fraction to `x` ≥ 0 among the continued-fraction convergents whose numerator and
 * denominator stay within the bounds; stops at the first one equal to `x` in double precision.
 * @returns [numerator, denominator]; [maxNum, 1] when x exceeds maxNum, [1, maxDen] when a
 *   positive x is below 1/maxDen
 */
export function bestRational(x: number, maxNum = MAX_U32, maxDen = MAX_U32): [number, number] {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`cannot represent ${x} as a fraction`);
  if (x >= maxNum) return [maxNum, 1];
  let [h0, h1, k0, k1] = [0, 1, 1, 0];
  let y = x;
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(y);
    const h2 = a * h1 + h0;
    const k2 = a * k1 + k0;
    if (h2 > maxNum || k2 > maxDen) break;
    [h0, h1, k0, k1] = [h1, h2, k1, k2];
    const frac = y - a;
    if (h1 / k1 === x || frac === 0) break;
    y = 1 / frac;
  }
  if (k1 === 0) return [maxNum, 1];
  return h1 === 0 && x > 0 ? [1, maxDen] : [h1, k1]; // never round a positive value to 0
}

/**
 * An exposure bias in EV as an SRATIONAL: exact with denominator 1, 2, 3 or 6 when the value is
 * a multiple of 1/2 or 1/3 (within 1e-5 of one, e.g. an offset typed as -0.333333), otherwise rounded
 * to 1/100 EV; the fraction is reduced (−2 → −2/1, 0.3 → 3/10).
 * @param ev - value in EV, |ev| ≤ 10⁷
 */
export function biasRational(ev: number): [number, number] {
  if (!Number.isFinite(ev) || Math.abs(ev) > 1e7) throw new RangeError(`bad exposure bias ${ev}`);
  for (const d of [1, 2, 3, 6]) {
    const n = Math.round(ev * d);
    if (Math.abs(ev * d - n) < 1e-5) return [n === 0 ? 0 : n, d];
  }
  const n = Math.round(ev * 100);
  const g = gcd(n, 100);
  return [n / g, 100 / g];
}

/**
 * Exposure time `time` × 2^ev as a RATIONAL. Exact (reduced fraction) for an integer `ev` when
 * it fits 32 bits; otherwise the closest convergent with 32-bit terms (relative error far below
 * 1e-12 for usual shutter times).
 * @param time - source ExposureTime [numerator, denominator], both > 0
 * @param ev - offset in EV, |ev| ≤ 30
 */
export function scaleExposureTime(time: readonly [number, number], ev: number): [number, number] {
  const [n, d] = time;
  if (!(n > 0 && d > 0)) throw new RangeError(`bad exposure time ${n}/${d}`);
  if (!(Math.abs(ev) <= 30)) throw new RangeError(`bad EV offset ${ev}`);
  const k = Math.round(ev);
  if (Math.abs(ev - k) < 1e-9) {
    const num = n * 2 ** Math.max(k, 0);
    const den = d * 2 ** Math.max(-k, 0);
    const g = gcd(num, den);
    if (num / g <= MAX_U32 && den / g <= MAX_U32) return [num / g, den / g];
  }
  return bestRational((n / d) * 2 ** ev);
}

/** A signed value as an SRATIONAL, closest convergent with 31-bit terms. */
export function signedRational(x: number): [number, number] {
  const [n, d] = bestRational(Math.abs(x), MAX_S32, MAX_S32);
  return [x < 0 && n !== 0 ? -n : n, d];
}

/**
 * An EV offset as shown in the frame note: sign always, two decimals ("+2.00", "-0.33").
 */
export function formatEv(ev: number): string {
  const r = Math.round(ev * 100) / 100;
  return `${r < 0 ? '-' : '+'}${Math.abs(r).toFixed(2)}`;
}
