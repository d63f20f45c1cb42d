/**
 * μ-law tone curve, as used to compare HDR images in learning papers (Kalantari & Ramamoorthi
 * 2017; HDR-cGAN, μ = 5000): T(x) = ln(1 + μx) / ln(1 + μ) per channel, x = HDR / normaliser.
 */
import type { OperatorMeta } from './operator.js';
import { resolveParams } from './params.js';
import { withDisplayStage } from './display.js';
import { percentile, rgbOf } from './scene-stats.js';

const meta: OperatorMeta = {
  id: 'mulaw',
  name: 'μ-law',
  reference:
    'μ-law range compression (ITU-T G.711 curve) as used in Kalantari & Ramamoorthi, "Deep High Dynamic Range Imaging of Dynamic Scenes", SIGGRAPH 2017.',
  kind: 'global',
  params: [
    {
      key: 'mu',
      label: 'μ',
      unit: '',
      min: 1,
      max: 100000,
      default: 5000,
      step: 1,
      description: 'Compression strength: larger μ lifts shadows more.',
    },
    {
      key: 'percentile',
      label: 'Normalise at',
      unit: '%',
      min: 50,
      max: 100,
      default: 100,
      step: 0.1,
      description:
        'Percentile of the per-pixel maximum channel mapped to 1 (100 = the image maximum); brighter pixels clip.',
    },
  ],
};

/**
 * Operator "mulaw": divides the image by its maximum channel value (or a percentile of the
 * per-pixel maxima), then applies T(x) = ln(1 + μx)/ln(1 + μ) per channel as the display curve
 * (the μ-law output is shown as is, without sRGB encoding). Values above the normaliser are
 * gamut-mapped by the display stage. The normalisation is handed to the display stage as a scale,
 * so the image is read twice and written once.
 */
export const mulaw = withDisplayStage(meta, (image, params) => {
  const p = resolveParams(meta, params);
  const rgb = rgbOf(image);
  const norm = p.percentile >= 100 ? maxChannel(rgb) : percentile(channelPeaks(rgb), p.percentile);
  const mu = p.mu;
  const den = Math.log1p(mu);
  const scale = norm > 0 ? 1 / norm : 0;
  return {
    rgb,
    scale: Number.isFinite(scale) ? scale : 0,
    gamma: (v: number) => Math.log1p(mu * v) / den,
  };
});

/** Largest finite sample (0 when none is positive). */
function maxChannel(rgb: Float32Array): number {
  let m = 0;
  for (let i = 0; i < rgb.length; i++) {
    const v = rgb[i];
    if (v > m && v < Infinity) m = v;
  }
  return m;
}

/** Per-pixel largest safe channel. */
function channelPeaks(rgb: Float32Array): Float32Array {
  const n = rgb.length / 3;
  const peaks = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    let m = 0;
    for (let c = 0; c < 3; c++) {
      const v = rgb[j + c];
      if (v > m && v < Infinity) m = v;
    }
    peaks[i] = m;
  }
  return peaks;
}
