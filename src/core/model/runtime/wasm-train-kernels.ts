/**
 * Fast training kernels for the tfjs wasm backend.
 *
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel at all (training fails) and its
 * Conv2DBackpropInput is a naive scalar loop (≈25× slower than the forward conv). Both are
 * re-expressed here through the wasm kernels that run on XNNPACK (SIMD, threaded):
 *
 * - input gradient: dx = conv2d(dy↑s, W̃) with W̃[i,j,o,c] = W[kh−1−i, kw−1−j, c, o] (spatially
 *   flipped, in/out channels swapped), stride 1, padding (k−1−padBefore, …). For stride s > 1, dy
 *   is first dilated with s−1 zeros between samples (exact; costs s² more FLOPs than a
 *   sub-pixel decomposition would).
 * - filter gradient: for each tap (i, j), dW[i,j] = Xtap(i,j)ᵀ · dY where Xtap(i,j) is the
 *   (strided) shifted window of the padded input, laid out [Cin, N·Ho·Wo] so that each tap is a
 *   plain row-major matmul (the only BatchMatMul form wasm sends to XNNPACK); dY [N·Ho·Wo, Cout]
 *   is the matmul's "weights", packed once and reused by the 9 taps (XNNPACK caches the operator
 *   per weights tensor).
 *
 * Only NHWC, dilation 1 and paddings with 0 ≤ padBefore ≤ k−1 take the fast path; anything else
 * goes to the original wasm kernel (input gradient) or to a correct general formula (filter
 * gradient). All intermediates are released through `backend.disposeData`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

const BACKEND = 'wasm';

type Conv2DPad =
  | 'same'
  | 'valid'
  | number
  | [[number, number], [number, number], [number, number], [number, number]];

interface BackendLike {
  disposeData(dataId: object): boolean;
}

/** Calls another registered wasm kernel directly. */
function run(
  backend: BackendLike,
  name: string,
  inputs: Record<string, TensorInfo> | TensorInfo[],
  attrs: Record<string, unknown> = {},
): TensorInfo {
  const k = tf.getKernel(name, BACKEND);
  if (!k) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc({
    inputs: inputs as Record<string, TensorInfo>,
    backend: backend as never,
    attrs: attrs as NamedAttrMap,
  }) as TensorInfo;
}

function free(backend: BackendLike, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

function conv2dInfo(
  xShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  pad: Conv2DPad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
) {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Reshape that stays a view (wasm Reshape just adds a reference). */
function reshape(backend: BackendLike, x: TensorInfo, shape: number[]): TensorInfo {
  return run(backend, 'Reshape', { x }, { shape });
}

/** Attributes both convolution-gradient kernels receive from tfjs. */
interface ConvBackpropAttrs {
  strides: number | [number, number];
  pad: Conv2DPad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Conv2DBackpropInput: dx of a conv2d, as a forward conv of (dilated) dy with the flipped filter. */
function makeBackpropInput(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as unknown as {
      inputs: { dy: TensorInfo; filter: TensorInfo };
      backend: BackendLike;
      attrs: ConvBackpropAttrs & { inputShape: [number, number, number, number] };
    };
    const { dy, filter } = inputs;
    if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') return fallback(args);
    const info = conv2dInfo(
      attrs.inputShape,
      filter.shape,
      attrs.strides,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
    const [n, h, w, cin] = attrs.inputShape;
    const [, ho, wo, cout] = dy.shape;
    const pt = kh - 1 - padInfo.top;
    const pl = kw - 1 - padInfo.left;
    const pb = h + padInfo.top - (ho - 1) * sh - 1;
    const pr = w + padInfo.left - (wo - 1) * sw - 1;
    if (pt < 0 || pl < 0 || pb < 0 || pr < 0) return fallback(args);

    const temps: TensorInfo[] = [];
    // W̃ = transpose(reverse(W, [0, 1]), [0, 1, 3, 2])
    const flipped = run(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
    temps.push(flipped);
    const wt = run(backend, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    temps.push(wt);
    let src = dy;
    if (sh > 1 || sw > 1) {
      // dilate: [n, ho, 1, wo, 1, c] padded to [n, ho, sh, wo, sw, c], cropped to (ho−1)·sh+1 rows
      const r6 = reshape(backend, dy, [n, ho, 1, wo, 1, cout]);
      temps.push(r6);
      const p6 = run(
        backend,
        'PadV2',
        { x: r6 },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
      temps.push(p6);
      const up = reshape(backend, p6, [n, ho * sh, wo * sw, cout]);
      temps.push(up);
      src = run(
        backend,
        'Slice',
        { x: up },
        { begin: [0, 0, 0, 0], size: [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, cout] },
      );
      temps.push(src);
    }
    const dx = run(
      backend,
      'Conv2D',
      { x: src, filter: wt },
      {
        strides: 1,
        pad: [
          [0, 0],
          [pt, pb],
          [pl, pr],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: 1,
        dimRoundingMode: undefined,
      },
    );
    free(backend, ...temps);
    if (dx.shape[1] !== h || dx.shape[2] !== w || dx.shape[3] !== cin) {
      free(backend, dx);
      return fallback(args);
    }
    return dx;
  };
}

/** Conv2DBackpropFilter: dW as one matmul per filter tap on XNNPACK. */
const backpropFilter: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args as unknown as {
    inputs: { x: TensorInfo; dy: TensorInfo };
    backend: BackendLike;
    attrs: ConvBackpropAttrs & { filterShape: [number, number, number, number] };
  };
  const { x, dy } = inputs;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
    throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  }
  const info = conv2dInfo(
    x.shape,
    attrs.filterShape,
    attrs.strides,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const [n, h, w, cin] = x.shape;
  const [, ho, wo, cout] = dy.shape;
  const m = n * ho * wo;

  const temps: TensorInfo[] = [];
  // Padded input, channels first: xt [cin, n, hp, wp]; pad enough that every tap window fits.
  const needH = (ho - 1) * sh + kh;
  const needW = (wo - 1) * sw + kw;
  const padB = Math.max(0, needH - h - padInfo.top);
  const padR = Math.max(0, needW - w - padInfo.left);
  let xp = x;
  if (padInfo.top > 0 || padInfo.left > 0 || padB > 0 || padR > 0) {
    xp = run(
      backend,
      'PadV2',
      { x },
      {
        paddings: [
          [0, 0],
          [padInfo.top, padB],
          [padInfo.left, padR],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    temps.push(xp);
  }
  const xt = run(backend, 'Transpose', { x: xp }, { perm: [3, 0, 1, 2] });
  temps.push(xt);
  const dy3 = reshape(backend, dy, [1, m, cout]);
  temps.push(dy3);

  const taps: TensorInfo[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const win =
        sh === 1 && sw === 1
          ? run(backend, 'Slice', { x: xt }, { begin: [0, 0, i, j], size: [cin, n, ho, wo] })
          : run(
              backend,
              'StridedSlice',
              { x: xt },
              {
                begin: [0, 0, i, j],
                end: [cin, n, i + (ho - 1) * sh + 1, j + (wo - 1) * sw + 1],
                strides: [1, 1, sh, sw],
                beginMask: 0,
                endMask: 0,
                ellipsisMask: 0,
                newAxisMask: 0,
                shrinkAxisMask: 0,
              },
            );
      const a3 = reshape(backend, win, [1, cin, m]);
      taps.push(
        run(backend, 'BatchMatMul', { a: a3, b: dy3 }, { transposeA: false, transposeB: false }),
      );
      free(backend, win, a3);
    }
  }
  const stacked = taps.length === 1 ? taps[0]! : run(backend, 'Concat', taps, { axis: 0 });
  const dw = reshape(backend, stacked, [kh, kw, cin, cout]);
  free(backend, ...temps, ...taps);
  if (taps.length > 1) free(backend, stacked);
  return dw;
};

let registered = false;

function inputConfig(original: KernelConfig): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: BACKEND,
    // the original kernel binds its C function in setupFunc; keep it so the fallback works
    setupFunc: original.setupFunc,
    kernelFunc: makeBackpropInput(original.kernelFunc),
  };
}

/**
 * Registers the fast Conv2DBackpropInput / Conv2DBackpropFilter kernels for the 'wasm' backend
 * (replacing tfjs's own input-gradient kernel, kept as the fallback). Idempotent; call it before
 * or after the wasm backend is initialised. Other backends are untouched.
 * @param opts.fastInputGradient - false keeps tfjs's own (slow) input-gradient kernel; for
 *   benchmarks only
 * @returns true when the kernels are (now) registered
 */
export function registerWasmTrainingKernels(opts: { fastInputGradient?: boolean } = {}): boolean {
  if (registered) return true;
  const original = tf.getKernel('Conv2DBackpropInput', BACKEND);
  if (!original) return false; // tfjs-backend-wasm not imported
  if (opts.fastInputGradient !== false) {
    tf.unregisterKernel('Conv2DBackpropInput', BACKEND);
    tf.registerKernel(inputConfig(original));
  }
  if (tf.getKernel('Conv2DBackpropFilter', BACKEND))
    tf.unregisterKernel('Conv2DBackpropFilter', BACKEND);
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: BACKEND,
    kernelFunc: backpropFilter,
  });
  registered = true;
  return true;
}

/** True once `registerWasmTrainingKernels` has installed the kernels in this process. */
export function wasmTrainingKernelsRegistered(): boolean {
  return registered;
}
