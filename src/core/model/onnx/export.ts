/**
 * Exports a multi-exposure model (tfjs, NHWC) to three ONNX graphs (opset 17) for inference:
 *
 * - `encode`: image [N,H,W,3] → latent X [N,H,W,3]: clip, well-exposedness mask Λ, N1, and
 *   X = (tanh(F) + clip(I) + 1) / 3.
 * - `renderUp` (N2) and `renderDown` (N3): latent [N,H,W,3], ratio [1] (α = 2^EV), and —
 *   only when the config has `outputPrior: 'srgb-scaling'` — image [N,H,W,3] → frame
 *   [N,H,W,3] = (tanh(N(α·X) [+ P(image, α)]) + 1) / 2, computed as sigmoid(2N + 2P) with the
 *   2 folded into N's last convolution. The runner picks renderUp for EV ≥ 0 and renderDown for
 *   EV < 0, exactly as `model.render` does. With `priorInput` the render graphs take the
 *   prior's log-odds 2P (prior-table.ts) in place of the image: the runtime's variant, since
 *   the prior's per-pixel powers and logarithm cost ONNX Runtime about a third of a render.
 *
 * Layout: graph inputs and outputs are NHWC (the tiled inference's buffers); inside, the
 * networks run NCHW, with one Transpose at each boundary. Convolution weights are converted
 * HWIO → OIHW and every conv→BN→LeakyReLU block is exported as one Conv (batch norm folded with
 * the running statistics, {@link foldConvBn}) + LeakyRelu. Upsampling is DepthToSpace (sub-pixel)
 * or Resize (nearest, asymmetric, floor: out[y, x] = in[⌊y/2⌋, ⌊x/2⌋], as `nearest2`). A stem-2
 * U-Net's pixel unshuffle is folded into the convolutions that read it (stride 2 on the image,
 * {@link unshuffledFilter}); its pixel shuffle is a DepthToSpace, except at the end of the
 * runtime render graphs, which leave it to the caller (frameLayout 's2d'). H and W are symbolic;
 * they must be multiples of the model stride, as for the tfjs model.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { PRIOR_EPS } from '../architectures/multi-exposure/exposure-prior.js';
import type { UNet } from '../architectures/multi-exposure/unet.js';
import type { Conv, ConvBnAct } from '../nn/layers.js';
import { foldConvBn } from '../nn/layers.js';
import type { AttrValue, Dim } from './graph-builder.js';
import { GraphBuilder } from './graph-builder.js';

/** The serialised ONNX models of one multi-exposure model. */
export interface OnnxGraphs {
  readonly encode: Uint8Array;
  readonly renderUp: Uint8Array;
  readonly renderDown: Uint8Array;
  /** true when rendering needs the input frame (the model's exposure prior) */
  readonly needsInput: boolean;
  /**
   * when `needsInput`: true if the render graphs take the prior's log-odds as a third input
   * {@link ONNX_PRIOR_INPUT} (computed by the caller, prior-table.ts), false if they take the
   * input frame `image` and compute the prior themselves
   */
  readonly priorInput: boolean;
  /**
   * layout of the render graphs' `frame` output and prior input: 'nhwc' (default) [N,H,W,3];
   * 's2d' the space-to-depth planes [N,12,H/2,W/2], channel (2·dy + dx)·3 + c holding pixel
   * (2y + dy, 2x + dx) — what N2/N3 of a stem-2 model produce before their pixel shuffle, which
   * the caller undoes ({@link FRAME_S2D}); exported with `priorInput` for such models
   */
  readonly frameLayout?: 'nhwc' | 's2d';
  /** H and W must be multiples of this */
  readonly stride: number;
}

/**
 * The 's2d' frame layout of {@link OnnxGraphs.frameLayout}. ONNX Runtime's DepthToSpace and the
 * transpose back to NHWC took 10 ms of a 1024² render on one thread; the same permutation in
 * JavaScript (frame-layout.ts) takes 1.8 ms.
 */
export const FRAME_S2D = 's2d';

/** Graph I/O names (all float32, NHWC images; `ratio` has shape [1]). */
export const ONNX_IO = {
  image: 'image',
  latent: 'latent',
  ratio: 'ratio',
  encoded: 'latent_out',
  frame: 'frame',
} as const;

/**
 * Third input of the render graphs exported with `priorInput`: the exposure prior's log-odds
 * ln(p / (1 − p)) of the input frame at the render's ratio, float32, in the graphs' frame layout
 * ([N,H,W,3], or [N,12,H/2,W/2] for 's2d').
 */
export const ONNX_PRIOR_INPUT = 'prior';

/** Options of {@link exportMultiExposureOnnx}. */
export interface OnnxExportOptions {
  /**
   * render graphs take the prior's log-odds ({@link ONNX_PRIOR_INPUT}) instead of the input
   * frame, and for a stem-2 model give the frame in the 's2d' layout (default false:
   * self-contained NHWC graphs, as shipped)
   */
  readonly priorInput?: boolean;
}

const NHWC: readonly Dim[] = ['N', 'H', 'W', 3];

/**
 * Converts an HWIO filter (tfjs) to OIHW (ONNX).
 * @param w - row-major [kh, kw, cin, cout]
 * @returns row-major [cout, cin, kh, kw]
 */
export function hwioToOihw(
  w: Float32Array,
  kh: number,
  kw: number,
  cin: number,
  cout: number,
): Float32Array {
  const out = new Float32Array(w.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        const src = ((y * kw + x) * cin + i) * cout;
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = w[src + o];
      }
    }
  }
  return out;
}

/** An HWIO filter as row-major data with its shape [kh, kw, cin, cout]. */
export interface Filter {
  readonly data: Float32Array;
  readonly shape: readonly [number, number, number, number];
}

function filterOf(w: tf.Tensor4D): Filter {
  return { data: w.dataSync() as Float32Array, shape: w.shape };
}

/** Input channels [c0, c1) of an HWIO filter. */
function inputChannels(f: Filter, c0: number, c1: number): Filter {
  const [kh, kw, cin, cout] = f.shape;
  const n = c1 - c0;
  const out = new Float32Array(kh * kw * n * cout);
  for (let k = 0; k < kh * kw; k++) {
    out.set(f.data.subarray((k * cin + c0) * cout, (k * cin + c1) * cout), k * n * cout);
  }
  return { data: out, shape: [kh, kw, n, cout] };
}

/**
 * A stride-1 filter over the pixel-unshuffled input (SpaceToDepth, block 2, channel
 * (2·dy + dx)·C + c) as the same function of the full-resolution input: HWIO [k, k, 4C, O] →
 * [2k, 2k, C, O], tap (2·ky + dy, 2·kx + dx) of channel c being tap (ky, kx) of unshuffled
 * channel (2·dy + dx)·C + c, run with stride 2 (the 'same' padding doubles with it). Same
 * multiply-adds, without the shuffle pass over the image.
 */
export function unshuffledFilter(f: Filter): Filter {
  const [kh, kw, cin4, cout] = f.shape;
  const c = cin4 / 4;
  const [h2, w2] = [2 * kh, 2 * kw];
  const out = new Float32Array(h2 * w2 * c * cout);
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          for (let ch = 0; ch < c; ch++) {
            const src = ((ky * kw + kx) * cin4 + (2 * dy + dx) * c + ch) * cout;
            const dst = (((2 * ky + dy) * w2 + 2 * kx + dx) * c + ch) * cout;
            out.set(f.data.subarray(src, src + cout), dst);
          }
        }
      }
    }
  }
  return { data: out, shape: [h2, w2, c, cout] };
}

/** A convolution's weights: filter, bias (none: zero), stride, and a factor folded into both. */
interface ConvWeights {
  readonly filter: Filter;
  readonly bias: Float32Array | null;
  readonly stride: number;
  readonly scale: number;
}

function emitConv(g: GraphBuilder, x: string, conv: ConvWeights, stem: string): string {
  const { filter, bias, stride, scale } = conv;
  const [kh, kw, cin, cout] = filter.shape;
  const oihw = hwioToOihw(filter.data, kh, kw, cin, cout);
  const bData = bias ? bias.slice() : new Float32Array(cout);
  if (scale !== 1) {
    for (let i = 0; i < oihw.length; i++) oihw[i] *= scale;
    for (let i = 0; i < bData.length; i++) bData[i] *= scale;
  }
  const w = g.initializer(`${stem}.w`, [cout, cin, kh, kw], oihw);
  const b = g.initializer(`${stem}.b`, [cout], bData);
  // tfjs 'same' padding: total k−1 (stride 1) or k−2 (stride 2, even input), extra at the end
  const attrs: Record<string, AttrValue> =
    stride === 1
      ? { kernel_shape: [kh, kw], pads: [(kh - 1) >> 1, (kw - 1) >> 1, kh >> 1, kw >> 1] }
      : { kernel_shape: [kh, kw], strides: [stride, stride], auto_pad: 'SAME_UPPER' };
  return g.node('Conv', [x, w, b], attrs);
}

/** A value and its channel count: one part of a channel concatenation. */
interface Part {
  readonly x: string;
  readonly channels: number;
  /**
   * the part is the pixel-unshuffled input of a stem-2 U-Net, given at full resolution (`x`
   * has a quarter of `channels`): its filter runs as {@link unshuffledFilter}
   */
  readonly unshuffled?: boolean;
}

/**
 * A convolution of the channel concatenation of `parts`, emitted as the sum of one convolution
 * per part (the filter split along its input channels, the bias on the first): the same
 * function without the Concat. For the final 1×1 convolution of N2/N3 (features and the
 * unshuffled input: 16 + 12 channels), ONNX Runtime otherwise concatenates outside its blocked
 * layout and reorders 28 channels into it; measured on one thread, 1024² lite16-nearest renders:
 * 91–92 ms against 110–118 ms. Not for a convolution with an activation: ONNX Runtime fuses the
 * sum into a convolution only when no activation follows (LeakyReLU then runs on its own).
 */
function emitConcatConv(
  g: GraphBuilder,
  parts: readonly Part[],
  conv: ConvWeights,
  stem: string,
): string {
  if (parts.reduce((n, p) => n + p.channels, 0) !== conv.filter.shape[2]) {
    throw new RangeError(`ONNX ${stem}: the parts' channels do not match the filter's inputs`);
  }
  let c0 = 0;
  let sum: string | null = null;
  for (const [i, p] of parts.entries()) {
    const own = inputChannels(conv.filter, c0, c0 + p.channels);
    c0 += p.channels;
    const part: ConvWeights = {
      ...conv,
      filter: p.unshuffled ? unshuffledFilter(own) : own,
      stride: p.unshuffled ? 2 * conv.stride : conv.stride,
      bias: i === 0 ? conv.bias : null,
    };
    const y = emitConv(g, p.x, part, `${stem}.${i}`);
    sum = sum === null ? y : g.node('Add', [sum, y]);
  }
  return sum!;
}

/**
 * Emits conv→BN→LeakyReLU as one Conv + LeakyRelu; with `unshuffled`, `x` is the full-resolution
 * input of a block that takes the pixel-unshuffled one (stride-1 blocks only).
 */
function emitConvBnAct(
  g: GraphBuilder,
  x: string,
  block: ConvBnAct,
  stem: string,
  unshuffled = false,
): string {
  if (unshuffled && block.conv.stride !== 1) {
    throw new RangeError(`ONNX ${stem}: only a stride-1 block can read the unshuffled input`);
  }
  const { filter, bias } = foldConvBn(block);
  try {
    const conv = {
      filter: unshuffled ? unshuffledFilter(filterOf(filter)) : filterOf(filter),
      bias: bias.dataSync() as Float32Array,
      stride: unshuffled ? 2 : block.conv.stride,
      scale: 1,
    };
    const y = emitConv(g, x, conv, stem);
    return g.node('LeakyRelu', [y], { 'f:alpha': block.slope });
  } finally {
    filter.dispose();
    bias.dispose();
  }
}

function emitPlainConv(
  g: GraphBuilder,
  x: string | readonly Part[],
  c: Conv,
  stem: string,
  scale = 1,
): string {
  const conv = {
    filter: filterOf(c.w as tf.Tensor4D),
    bias: c.b ? (c.b.dataSync() as Float32Array) : null,
    stride: c.stride,
    scale,
  };
  return typeof x === 'string' ? emitConv(g, x, conv, stem) : emitConcatConv(g, x, conv, stem);
}

/** Resize scales of nearest ×2 upsampling, NCHW. */
const SCALES_2X = new Float32Array([1, 1, 2, 2]);

/**
 * Emits a U-Net on an NCHW value; returns its NCHW pre-activation output F times `outputScale`
 * (folded into the last convolution; a power of two keeps the weights exact).
 * @param shuffleOut - false: a stem-2 U-Net's output before its pixel shuffle (4·C planes at half
 *   resolution, channel (2·dy + dx)·C + c)
 */
export function emitUNet(
  g: GraphBuilder,
  net: UNet,
  x: string,
  prefix: string,
  outputScale = 1,
  shuffleOut = true,
): string {
  const cfg = net.config;
  // stem 2: the convolutions that read the pixel-unshuffled input read the image itself with
  // stride 2, so no SpaceToDepth pass runs. Measured per 1024² render on one thread: first conv
  // and the head's input part 10.3–10.7 ms against 16.1–16.4 ms with SpaceToDepth (2.5 ms)
  const unshuffle = cfg.stem === 2;
  if (unshuffle && net.enc[0].length === 0) {
    throw new RangeError(`ONNX ${prefix}: a stem-2 U-Net needs a convolution in its first block`);
  }
  const block = (t: string, layers: ConvBnAct[], stem: string, first = false): string =>
    layers.reduce(
      (y, layer, i) => emitConvBnAct(g, y, layer, `${stem}.${i}`, first && i === 0 && unshuffle),
      t,
    );
  const skips: string[] = [];
  let h = x;
  for (let l = 0; l < net.enc.length; l++) {
    let pooled = h;
    if (l > 0) {
      const d = net.down[l];
      pooled = d
        ? emitConvBnAct(g, h, d, `${prefix}.down${l}`)
        : g.node('AveragePool', [h], { kernel_shape: [2, 2], strides: [2, 2] });
    }
    h = block(pooled, net.enc[l], `${prefix}.enc${l}`, l === 0);
    skips.push(h);
  }
  let scales: string | null = null;
  for (let l = net.enc.length - 2; l >= 0; l--) {
    const up = net.up[l];
    const y = emitConvBnAct(g, h, up.block, `${prefix}.up${l}`);
    const u =
      up.mode === 'nearest'
        ? g.node('Resize', [y, '', (scales ??= g.initializer('scales', [4], SCALES_2X))], {
            mode: 'nearest',
            coordinate_transformation_mode: 'asymmetric',
            nearest_mode: 'floor',
          })
        : g.node('DepthToSpace', [y], { blocksize: 2, mode: 'DCR' });
    h = block(g.node('Concat', [skips[l], u], { axis: 1 }), net.dec[l], `${prefix}.dec${l}`);
  }
  // concat(features, [unshuffled] input) → the final 1×1 conv, as one conv per part
  const head: string | Part[] = cfg.concatInput
    ? [
        { x: h, channels: cfg.widths[0] },
        {
          x,
          channels: (net.out.w as tf.Tensor4D).shape[2] - cfg.widths[0],
          unshuffled: unshuffle,
        },
      ]
    : h;
  const f = emitPlainConv(g, head, net.out, `${prefix}.out`, outputScale);
  return cfg.stem === 2 && shuffleOut
    ? g.node('DepthToSpace', [f], { blocksize: 2, mode: 'DCR' })
    : f;
}

const toNchw = (g: GraphBuilder, x: string): string =>
  g.node('Transpose', [x], { perm: [0, 3, 1, 2] });
const toNhwc = (g: GraphBuilder, x: string, name?: string): string =>
  g.node('Transpose', [x], { perm: [0, 2, 3, 1] }, name);

function emitClip(g: GraphBuilder, x: string, lo: number, hi: number): string {
  return g.node('Clip', [x, g.scalar(lo), g.scalar(hi)]);
}

/**
 * Λ of mask.ts on an NHWC image in [0, 1] → [N,1,H,W]. The luma is a MatMul over the channel
 * axis of the NHWC image, not a 1×1 Conv on the NCHW one: ONNX Runtime would run that conv in its
 * blocked layout, computing 16 output channels for the one kept and reordering them back.
 */
function emitMask(g: GraphBuilder, xcNhwc: string, tau: number): string {
  const lumaW = g.initializer('luma.w', [3, 1], new Float32Array([0.299, 0.587, 0.114]));
  const luma = toNchw(g, g.node('MatMul', [xcNhwc, lumaW]));
  const under = g.node('Relu', [g.node('Sub', [g.scalar(1 - tau), luma])]);
  const over = g.node('Relu', [g.node('Sub', [luma, g.scalar(tau)])]);
  const frac = g.node('Div', [g.node('Max', [under, over]), g.scalar(1 - tau)]);
  return g.node('Sub', [g.scalar(1), frac]);
}

/** Twice the exposure prior P of exposure-prior.ts, ln(p / (1 − p)), elementwise (any layout). */
function emitPriorLogOdds(g: GraphBuilder, image: string, ratio: string): string {
  const v = emitClip(g, image, 0, 1);
  const lin = g.node('Where', [
    g.node('LessOrEqual', [v, g.scalar(0.04045)]),
    g.node('Div', [v, g.scalar(12.92)]),
    g.node('Pow', [
      g.node('Div', [g.node('Add', [v, g.scalar(0.055)]), g.scalar(1.055)]),
      g.scalar(2.4),
    ]),
  ]);
  const l = emitClip(g, g.node('Mul', [lin, ratio]), 0, 1);
  const srgb = g.node('Where', [
    g.node('LessOrEqual', [l, g.scalar(0.0031308)]),
    g.node('Mul', [l, g.scalar(12.92)]),
    g.node('Sub', [
      g.node('Mul', [
        g.node('Pow', [g.node('Max', [l, g.scalar(0.0031308)]), g.scalar(1 / 2.4)]),
        g.scalar(1.055),
      ]),
      g.scalar(0.055),
    ]),
  ]);
  const p = emitClip(g, srgb, PRIOR_EPS, 1 - PRIOR_EPS);
  return g.node('Log', [g.node('Div', [p, g.node('Sub', [g.scalar(1), p])])]);
}

function buildEncode(model: MultiExposureModel): Uint8Array {
  const g = new GraphBuilder(`${model.config.name}.encode`);
  const xcNhwc = emitClip(g, g.input(ONNX_IO.image, NHWC), 0, 1);
  const xc = toNchw(g, xcNhwc);
  const masked = g.node('Mul', [xc, emitMask(g, xcNhwc, model.config.maskTau)]);
  const f = emitUNet(g, model.n1, masked, 'n1');
  const sum = g.node('Add', [g.node('Add', [g.node('Tanh', [f]), xc]), g.scalar(1)]);
  const latent = g.node('Div', [sum, g.scalar(3)]);
  g.output(toNhwc(g, latent, ONNX_IO.encoded), NHWC);
  return g.toModel(`encode of ${model.config.name}`);
}

function buildRender(model: MultiExposureModel, down: boolean, priorInput: boolean): Uint8Array {
  const g = new GraphBuilder(`${model.config.name}.render-${down ? 'down' : 'up'}`);
  const latent = toNchw(g, g.input(ONNX_IO.latent, NHWC));
  const ratio = g.input(ONNX_IO.ratio, [1]);
  const s2d = frameLayoutOf(model, priorInput) === FRAME_S2D;
  const frameDims: readonly Dim[] = s2d ? ['N', 12, 'H2', 'W2'] : NHWC;
  let logOdds: string | null = null;
  if (model.needsInput) {
    logOdds = priorInput
      ? g.input(ONNX_PRIOR_INPUT, frameDims)
      : emitPriorLogOdds(g, g.input(ONNX_IO.image, NHWC), ratio);
  }
  // (tanh(F + P) + 1) / 2 = sigmoid(2F + 2P): the 2 is folded into N's last convolution
  const f2 = emitUNet(
    g,
    down ? model.n3 : model.n2,
    g.node('Mul', [latent, ratio]),
    down ? 'n3' : 'n2',
    2,
    !s2d,
  );
  let logit = s2d ? f2 : toNhwc(g, f2);
  if (logOdds) logit = g.node('Add', [logit, logOdds]);
  g.output(g.node('Sigmoid', [logit], {}, ONNX_IO.frame), frameDims);
  return g.toModel(`render-${down ? 'down' : 'up'} of ${model.config.name}`);
}

/** The render graphs' frame layout: 's2d' for the runtime graphs of a stem-2 model. */
function frameLayoutOf(model: MultiExposureModel, priorInput: boolean): 'nhwc' | 's2d' {
  return priorInput && model.config.n23.stem === 2 ? FRAME_S2D : 'nhwc';
}

/**
 * Exports `model` (weights and batch-norm running statistics as they are now).
 * @returns encode, renderUp and renderDown ModelProto bytes
 */
export function exportMultiExposureOnnx(
  model: MultiExposureModel,
  options: OnnxExportOptions = {},
): OnnxGraphs {
  const priorInput = model.needsInput && options.priorInput === true;
  return {
    encode: buildEncode(model),
    renderUp: buildRender(model, false, priorInput),
    renderDown: buildRender(model, true, priorInput),
    needsInput: model.needsInput,
    priorInput,
    frameLayout: frameLayoutOf(model, priorInput),
    stride: model.stride,
  };
}
