/**
 * Theoretical receptive-field radius of the multi-exposure U-Nets, in input pixels: how far
 * from a tile's edge an output pixel must lie before the tile border (zero 'same' padding of
 * the convolutions) can no longer reach it. It is an upper bound: the effective receptive field
 * of a trained (or random) network decays roughly like a Gaussian and is much narrower, which
 * is why tiles can overlap by far less than this and still blend without visible seams.
 *
 * Each output pixel p depends on the input pixels [p + lo, p + hi]; the radius is
 * max(−lo, hi). Rules, with j the current pixel spacing in input pixels: a 'same' k×k conv
 * widens both ends by (k−1)/2·j; 2×2 average pooling (cells 2i, 2i+1) adds j to hi and
 * doubles j; a strided 3×3 'same' conv (TF pads 0 before, 1 after: cells 2i…2i+2) adds 2j to
 * hi and doubles j; pixel unshuffle starts at [0, 1] with j = 2; pixel shuffle and nearest ×2
 * both halve j and subtract the new j from lo (odd output pixels read the cell on their left);
 * a skip concatenation takes the union.
 */
import type { MultiExposureConfig, UNetConfig } from '../architectures/multi-exposure/config.js';

/** Input interval [p + lo, p + hi] an output pixel p depends on (pixels). */
interface Span {
  readonly lo: number;
  readonly hi: number;
}

function unetSpan(c: UNetConfig): Span {
  let j = 1;
  let lo = 0;
  let hi = 0;
  if (c.stem === 2) {
    hi = 1;
    j = 2;
  }
  const conv3 = (n: number): void => {
    lo -= n * j;
    hi += n * j;
  };
  const skip: Span[] = [];
  for (let l = 0; l < c.widths.length; l++) {
    if (l > 0) {
      hi += c.downsample === 'conv' ? 2 * j : j;
      j *= 2;
    }
    conv3(c.convsPerBlock);
    skip.push({ lo, hi });
  }
  for (let l = c.widths.length - 2; l >= 0; l--) {
    if (c.upKernel === 3) conv3(1);
    j /= 2;
    lo = Math.min(lo - j, skip[l].lo);
    hi = Math.max(hi, skip[l].hi);
    conv3(c.convsPerBlock);
  }
  if (c.stem === 2) lo -= 1;
  return { lo, hi };
}

/**
 * Receptive-field radius of one U-Net: the largest distance (pixels) between an output pixel
 * and an input pixel it depends on.
 * @returns e.g. 9 for TINY_CONFIG's nets, 103 for LITE_CONFIG's N2/N3
 */
export function unetReceptiveRadius(c: UNetConfig): number {
  const { lo, hi } = unetSpan(c);
  return Math.max(-lo, hi);
}

/**
 * Receptive-field radius of a rendered frame with respect to the input photo: N1 followed by
 * N2/N3 (pixels). Tiled inference blends the latent between the two passes, so a tile border
 * only matters within each network's own radius, not this sum.
 */
export function bracketReceptiveRadius(c: MultiExposureConfig): number {
  const a = unetSpan(c.n1);
  const b = unetSpan(c.n23);
  return Math.max(-(a.lo + b.lo), a.hi + b.hi);
}
