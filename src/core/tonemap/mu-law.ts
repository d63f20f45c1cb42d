/**
 * μ-law tone curve, as used to compare HDR images in learning papers (Kalantari & Ramamoorthi
 * 2017; HDR-cGAN, μ = 5000): T(x) = ln(1 + μx) / ln(1 + μ) per channel, x = HDR / normaliser.
 */
import type { OperatorMeta } from './operator.js';
import { resolveParams } from './params.js';
import { percentile, safeRgb, withDisplayStage } from './display.js';

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
 * gamut-mapped by the display stage.
 */
export const mulaw = withDisplayStage(meta, (image, params) => {
  const p = resolveParams(meta, params);
  const rgb = safeRgb(image);
  const n = image.width * image.height;
  const peaks = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const a = rgb[j] > rgb[j + 1] ? rgb[j] : rgb[j + 1];
    peaks[i] = a > rgb[j + 2] ? a : rgb[j + 2];
  }
  const norm = percentile(peaks, p.percentile);
  if (norm > 0) {
    const k = 1 / norm;
    for (let i = 0; i < rgb.length; i++) rgb[i] *= k;
  }
  const mu = p.mu;
  const den = Math.log1p(mu);
  return { rgb, gamma: (v: number) => Math.log1p(mu * v) / den };
});
