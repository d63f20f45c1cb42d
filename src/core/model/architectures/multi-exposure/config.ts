/**
 * Width/depth configuration of the multi-exposure networks (Le et al., WACV 2023) and their
 * analytic cost. FLOPs count convolutions only (one multiply-add = 2 FLOPs), per INPUT pixel;
 * batch norm is folded into the convolutions at inference and activations, pooling and
 * shuffles are memory-bound extras not counted here.
 */

/** One U-Net: conv3×3+BN+LeakyReLU blocks, sub-pixel upsampling, skip concatenation. */
export interface UNetConfig {
  /** channels per level; level 0 runs at the stem resolution, each next level at half of it */
  readonly widths: readonly number[];
  /** conv3×3+BN+LeakyReLU layers per encoder and per decoder block (paper: 2) */
  readonly convsPerBlock: number;
  /** 1: level 0 at full resolution (paper); 2: pixel-unshuffle stem, level 0 at half resolution */
  readonly stem: 1 | 2;
  /** 'avg': 2×2 average pooling; 'conv': strided 3×3 conv+BN+LeakyReLU (paper: max pooling, avoided) */
  readonly downsample: 'avg' | 'conv';
  /** kernel of the upsampling convolution (authors' code: 1) */
  readonly upKernel: 1 | 3;
  /**
   * how a decoder level doubles the resolution: 'subpixel' (default, the authors' code): conv to
   * 4× the channels, then pixel shuffle; 'nearest': conv at the lower resolution to the level's
   * channels, then nearest-neighbour ×2 — a quarter of the FLOPs, and an operator ONNX Runtime
   * runs inside its blocked channel layout, where pixel shuffle forces the features out of it
   * and back
   */
  readonly upsample?: 'subpixel' | 'nearest';
  /** concatenate the network input to the last features before the final 1×1 conv */
  readonly concatInput: boolean;
}

/** The three networks and the shared hyper-parameters. */
export interface MultiExposureConfig {
  readonly name: string;
  /** HDR Encoding Net N1 */
  readonly n1: UNetConfig;
  /** Up-Exposure Net N2 and Down-Exposure Net N3 (same shape, separate weights) */
  readonly n23: UNetConfig;
  /** LeakyReLU negative slope */
  readonly leakySlope: number;
  /** well-exposedness threshold τ of the mask Λ (Eq. 14), in (0.5, 1) */
  readonly maskTau: number;
  /** batch-norm running-statistics momentum (weight of the new batch) */
  readonly bnMomentum: number;
  /**
   * 'srgb-scaling': N2/N3 add their output F to the pre-activation of the naive sRGB exposure
   * change of the input frame (exposure-prior.ts) and their last layer starts at zero, so an
   * untrained model renders the naive frame and training learns the correction. Not in the
   * paper; absent = the paper's output (tanh(F)+1)/2 alone.
   */
  readonly outputPrior?: 'srgb-scaling';
}

const paperNet = (widths: number[], concatInput: boolean): UNetConfig => ({
  widths,
  convsPerBlock: 2,
  stem: 1,
  downsample: 'avg',
  upKernel: 1,
  concatInput,
});

/**
 * The paper's sizes (authors' defaults): 7 levels, N1 16→256 channels, N2/N3 32→512,
 * two conv3×3 per block, full-resolution first level. Max pooling replaced by average pooling.
 */
export const PAPER_CONFIG: MultiExposureConfig = {
  name: 'paper',
  n1: paperNet([16, 32, 64, 128, 256, 256, 256], false),
  n23: paperNet([32, 64, 128, 256, 512, 512, 512], true),
  leakySlope: 0.2,
  maskTau: 0.95,
  bnMomentum: 0.1,
};

/**
 * Sized for a 12-MP, 7-frame bracket in < 60 s on 2 wasm threads (≈ 20 GFLOP/s measured for
 * U-Nets of this kind): N1 runs once per photo, N2/N3 once per non-zero EV frame (6 frames).
 * A pixel-unshuffle stem puts level 0 at half resolution (the final 1×1 conv still sees the
 * full-resolution input through the unshuffled input concatenation).
 * Budget: 60 s × 20 GFLOP/s / 12 MP = 100 GFLOP/MP for N1 + 6·N23; this config uses
 * 10.55 (N1) + 6 × 7.48 (N2/N3) ≈ 55.4 GFLOP/MP (see {@link bracketFlopsPerPixel}) ≈ 665 GFLOP
 * for 12 MP ≈ 33 s at 20 GFLOP/s, leaving ~45 % for tiling overlap and memory-bound ops.
 * Stride 16 (stem 2 × 2³).
 */
export const LITE_CONFIG: MultiExposureConfig = {
  name: 'lite',
  n1: {
    widths: [12, 24, 48, 96],
    convsPerBlock: 2,
    stem: 2,
    downsample: 'avg',
    upKernel: 1,
    concatInput: false,
  },
  n23: {
    widths: [12, 20, 32, 64],
    convsPerBlock: 2,
    stem: 2,
    downsample: 'avg',
    upKernel: 1,
    concatInput: true,
  },
  leakySlope: 0.2,
  maskTau: 0.95,
  bnMomentum: 0.1,
};

/**
 * {@link LITE_CONFIG} with the sRGB exposure prior on N2/N3 (see `outputPrior`): same weights
 * and cost, the renderers learn a correction of naive exposure scaling.
 */
export const LITE_PRIOR_CONFIG: MultiExposureConfig = {
  ...LITE_CONFIG,
  name: 'lite-prior',
  outputPrior: 'srgb-scaling',
};

/**
 * {@link LITE_PRIOR_CONFIG} with every width a multiple of 16: N1 [16,16,48,96], N2/N3
 * [16,16,32,64]. ONNX Runtime's CPU convolutions on AVX-512 work on blocks of 16 channels and
 * run other widths through slower kernels with layout conversions around them; measured with
 * one thread per process on two processes at once (912×848 tiles, random weights, this
 * machine), a render took 104–106 ms/MP against 157–167 ms/MP for the lite widths, and an
 * encode 117–139 against 162–210 ms/MP, although the new widths cost 9.1 against 7.5 kFLOP per
 * pixel (render) and 11.2 against 10.6 (encode).
 */
export const LITE16_PRIOR_CONFIG: MultiExposureConfig = {
  ...LITE_PRIOR_CONFIG,
  name: 'lite16-prior',
  n1: { ...LITE_CONFIG.n1, widths: [16, 16, 48, 96] },
  n23: { ...LITE_CONFIG.n23, widths: [16, 16, 32, 64] },
};

/**
 * {@link LITE16_PRIOR_CONFIG} with nearest-neighbour upsampling (`upsample: 'nearest'`) in every
 * decoder. On ONNX Runtime the pixel shuffles, and the layout conversions and unblocked
 * concatenations they bring, took about a quarter of a lite16 render; with nearest-neighbour
 * upsampling the decoders' features stay in the blocked layout. Measured on one thread, 1024²
 * tiles (the graphs as exported now): a render 88–94 ms against 115–120 ms, an encode 105–110 ms
 * against 132–155 ms. Render 8.87, encode 10.88 kFLOP per pixel (lite16-prior: 9.06 and 11.16).
 * The shipped model since 2026-11-30 (see its model card for the quality against lite16-prior).
 */
export const LITE16_NEAREST_PRIOR_CONFIG: MultiExposureConfig = {
  ...LITE16_PRIOR_CONFIG,
  name: 'lite16-nearest-prior',
  n1: { ...LITE16_PRIOR_CONFIG.n1, upsample: 'nearest' },
  n23: { ...LITE16_PRIOR_CONFIG.n23, upsample: 'nearest' },
};

/** A tiny config for tests and CI smoke training (2 levels, 4→8 channels). */
export const TINY_CONFIG: MultiExposureConfig = {
  name: 'tiny',
  n1: {
    widths: [4, 8],
    convsPerBlock: 2,
    stem: 1,
    downsample: 'avg',
    upKernel: 1,
    concatInput: false,
  },
  n23: {
    widths: [4, 8],
    convsPerBlock: 2,
    stem: 1,
    downsample: 'avg',
    upKernel: 1,
    concatInput: true,
  },
  leakySlope: 0.2,
  maskTau: 0.95,
  bnMomentum: 0.1,
};

/** Named configurations. */
export const CONFIGS: Readonly<Record<string, MultiExposureConfig>> = {
  paper: PAPER_CONFIG,
  lite: LITE_CONFIG,
  'lite-prior': LITE_PRIOR_CONFIG,
  'lite16-prior': LITE16_PRIOR_CONFIG,
  'lite16-nearest-prior': LITE16_NEAREST_PRIOR_CONFIG,
  tiny: TINY_CONFIG,
  'tiny-prior': { ...TINY_CONFIG, name: 'tiny-prior', outputPrior: 'srgb-scaling' },
};

/** Spatial stride of one U-Net: input H and W must be multiples of it. */
export function unetStride(c: UNetConfig): number {
  return c.stem * 2 ** (c.widths.length - 1);
}

/** Stride of the whole model (the larger of N1's and N2/N3's). */
export function modelStride(c: MultiExposureConfig): number {
  return Math.max(unetStride(c.n1), unetStride(c.n23));
}

/**
 * Convolution FLOPs per input pixel of one U-Net.
 * @param inCh - image channels in (3)
 * @param outCh - image channels out (3)
 */
export function unetFlopsPerPixel(c: UNetConfig, inCh = 3, outCh = 3): number {
  const s2 = c.stem * c.stem;
  const conv = (k: number, cin: number, cout: number, frac: number) =>
    2 * k * k * cin * cout * frac;
  const w = c.widths;
  let f = 0;
  for (let l = 0; l < w.length; l++) {
    const frac = 1 / (s2 * 4 ** l);
    const cin = l === 0 ? inCh * s2 : w[l - 1];
    if (l > 0 && c.downsample === 'conv') f += conv(3, cin, cin, frac);
    f += conv(3, cin, w[l], frac) + (c.convsPerBlock - 1) * conv(3, w[l], w[l], frac);
    if (l < w.length - 1) {
      f += conv(c.upKernel, w[l + 1], (c.upsample === 'nearest' ? 1 : 4) * w[l], frac / 4);
      f += conv(3, 2 * w[l], w[l], frac) + (c.convsPerBlock - 1) * conv(3, w[l], w[l], frac);
    }
  }
  f += conv(1, w[0] + (c.concatInput ? inCh * s2 : 0), outCh * s2, 1 / s2);
  return f;
}

/** Per-pixel FLOPs of a bracket: N1 once + N2/N3 once per non-zero EV frame. */
export function bracketFlopsPerPixel(c: MultiExposureConfig, nonZeroFrames: number): number {
  return unetFlopsPerPixel(c.n1) + nonZeroFrames * unetFlopsPerPixel(c.n23);
}
