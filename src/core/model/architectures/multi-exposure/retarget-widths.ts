/**
 * Carries trained multi-exposure weights over to the same networks with other channel widths
 * (e.g. widths rounded to multiples of 16 for ONNX Runtime's blocked kernels), as the start of
 * a fine-tune instead of a run from scratch.
 *
 * Per U-Net level, channel c < min(old, new width) keeps its trained weights; channels beyond
 * the old width are new: their incoming weights and batch-norm parameters keep the target
 * model's initial values, and every weight that reads a new channel is zero, so a model that
 * only grows computes exactly what the old one did. Channels beyond the new width are dropped
 * (the model then differs from the old one; training recovers it). Concatenations (skip + upsampled,
 * features + unshuffled input) and the sub-pixel blocks of the upsampling convolutions are
 * mapped part by part. Sub-pixel upsampling can become nearest-neighbour upsampling: the
 * upsampling convolution keeps its first sub-pixel block (the model then differs; training
 * recovers it).
 */
import { InvalidInputError } from '../../../errors.js';
import type { MultiExposureConfig, UNetConfig } from './config.js';

/** A decoded weight tensor (as from weights-io's decodeWeights). */
export interface WeightTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Where each new channel comes from: an old channel index, or −1 for a new channel. */
type ChannelMap = Int32Array;

function featureMap(oldWidth: number, newWidth: number): ChannelMap {
  const m = new Int32Array(newWidth);
  for (let c = 0; c < newWidth; c++) m[c] = c < oldWidth ? c : -1;
  return m;
}

function identityMap(n: number): ChannelMap {
  return featureMap(n, n);
}

/** Concatenation of parts: each part's map shifted by the old part sizes before it. */
function concatMaps(parts: readonly { map: ChannelMap; oldSize: number }[]): ChannelMap {
  const size = parts.reduce((s, p) => s + p.map.length, 0);
  const m = new Int32Array(size);
  let at = 0;
  let oldAt = 0;
  for (const p of parts) {
    for (let c = 0; c < p.map.length; c++) m[at + c] = p.map[c] < 0 ? -1 : oldAt + p.map[c];
    at += p.map.length;
    oldAt += p.oldSize;
  }
  return m;
}

/** The 4 sub-pixel blocks of a pixel shuffle's input (depth-to-space, block-major). */
function subPixelMap(oldWidth: number, newWidth: number): ChannelMap {
  const f = featureMap(oldWidth, newWidth);
  return concatMaps([0, 1, 2, 3].map(() => ({ map: f, oldSize: oldWidth })));
}

/**
 * Output channels of level l's upsampling convolution: the sub-pixel blocks part by part, or —
 * from sub-pixel to nearest-neighbour upsampling — the first block (the top-left pixel of each
 * 2×2 output block), which the nearest-neighbour layer then spreads over the whole block.
 */
function upOutputMap(from: UNetConfig, to: UNetConfig, l: number): ChannelMap {
  const [wo, wn] = [from.widths[l], to.widths[l]];
  if (to.upsample === 'nearest') return featureMap(wo, wn);
  return subPixelMap(wo, wn);
}

/** Input and output channel maps of every convolution of a U-Net, by parameter stem. */
function unetConvMaps(
  from: UNetConfig,
  to: UNetConfig,
  inCh: number,
): Map<string, { input: ChannelMap; output: ChannelMap }> {
  const s2 = to.stem * to.stem;
  const wo = from.widths;
  const wn = to.widths;
  const feat = (l: number): ChannelMap => featureMap(wo[l], wn[l]);
  const maps = new Map<string, { input: ChannelMap; output: ChannelMap }>();
  const block = (stem: string, input: ChannelMap, l: number): void => {
    for (let i = 0; i < to.convsPerBlock; i++) {
      maps.set(`${stem}.${i}`, { input: i === 0 ? input : feat(l), output: feat(l) });
    }
  };
  for (let l = 0; l < wn.length; l++) {
    const input = l === 0 ? identityMap(inCh * s2) : feat(l - 1);
    if (l > 0 && to.downsample === 'conv') {
      maps.set(`down${l}`, { input: feat(l - 1), output: feat(l - 1) });
    }
    block(`enc${l}`, input, l);
  }
  for (let l = 0; l < wn.length - 1; l++) {
    maps.set(`up${l}`, { input: feat(l + 1), output: upOutputMap(from, to, l) });
    const cat = concatMaps([
      { map: feat(l), oldSize: wo[l] },
      { map: feat(l), oldSize: wo[l] },
    ]);
    block(`dec${l}`, cat, l);
  }
  const outParts = [{ map: feat(0), oldSize: wo[0] }];
  if (to.concatInput) outParts.push({ map: identityMap(inCh * s2), oldSize: inCh * s2 });
  maps.set('out', { input: concatMaps(outParts), output: identityMap(3 * s2) });
  return maps;
}

function sameStructure(a: UNetConfig, b: UNetConfig): boolean {
  return (
    a.widths.length === b.widths.length &&
    a.convsPerBlock === b.convsPerBlock &&
    a.stem === b.stem &&
    a.downsample === b.downsample &&
    a.upKernel === b.upKernel &&
    a.concatInput === b.concatInput &&
    // sub-pixel (the default) → nearest is carried (upOutputMap); nearest → sub-pixel is not
    ((a.upsample ?? 'subpixel') === (b.upsample ?? 'subpixel') || b.upsample === 'nearest')
  );
}

/**
 * The weights of one U-Net carried to new widths.
 * @param prefix - the U-Net's parameter prefix ("n1", "n2", "n3")
 * @param from - the trained U-Net's config; @param to - the target's (same depth and blocks)
 * @param trained - the trained tensors by full name (only `prefix.*` is read)
 * @param initial - the target model's initial tensors by full name (shapes of `to`)
 * @param inCh - image channels into the U-Net (3)
 * @returns the target's `prefix.*` tensors
 * @throws InvalidInputError when the structures differ or a tensor is missing or misshapen
 */
export function retargetUNet(
  prefix: string,
  from: UNetConfig,
  to: UNetConfig,
  trained: ReadonlyMap<string, WeightTensor>,
  initial: ReadonlyMap<string, WeightTensor>,
  inCh = 3,
): Map<string, WeightTensor> {
  if (!sameStructure(from, to)) {
    throw new InvalidInputError(
      `${prefix}: only the widths may differ, and sub-pixel upsampling may become nearest (depth, blocks, stem, down sampling must match)`,
    );
  }
  const maps = unetConvMaps(from, to, inCh);
  const out = new Map<string, WeightTensor>();
  for (const [name, init] of initial) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const rest = name.slice(prefix.length + 1);
    const stem = rest.replace(/\.(conv\.w|bn\.\w+|w|b)$/, '');
    const m = maps.get(stem);
    const old = trained.get(name);
    if (!m || !old) throw new InvalidInputError(`${name}: no trained counterpart`);
    const isFilter = /(^|\.)w$/.test(rest);
    out.set(name, carry(name, init, old, isFilter ? m.input : null, m.output));
  }
  return out;
}

/**
 * The weights of a whole multi-exposure model (N1, N2, N3) carried to a config that differs only
 * in its U-Net widths (see {@link retargetUNet}).
 * @param trained - the trained tensors by name (config `from`)
 * @param initial - the target model's initial tensors by name (config `to`)
 * @returns every tensor of the target, ready for weights-io's applyWeights
 * @throws InvalidInputError when anything but the widths differs
 */
export function retargetMultiExposure(
  from: MultiExposureConfig,
  to: MultiExposureConfig,
  trained: ReadonlyMap<string, WeightTensor>,
  initial: ReadonlyMap<string, WeightTensor>,
): Map<string, WeightTensor> {
  const same = <K extends keyof MultiExposureConfig>(k: K): boolean => from[k] === to[k];
  if (!same('leakySlope') || !same('maskTau') || !same('bnMomentum') || !same('outputPrior')) {
    throw new InvalidInputError(
      `${from.name} → ${to.name}: only the U-Net widths may differ (slope, τ, momentum, prior)`,
    );
  }
  const out = new Map<string, WeightTensor>();
  for (const [prefix, from1, to1] of [
    ['n1', from.n1, to.n1],
    ['n2', from.n23, to.n23],
    ['n3', from.n23, to.n23],
  ] as const) {
    for (const [k, v] of retargetUNet(prefix, from1, to1, trained, initial)) out.set(k, v);
  }
  if (out.size !== initial.size) {
    const extra = [...initial.keys()].find((k) => !out.has(k));
    throw new InvalidInputError(`${to.name}: parameter ${extra ?? '?'} belongs to no U-Net`);
  }
  return out;
}

/**
 * One tensor: a conv filter [kh, kw, in, out] (input map given) or a per-output-channel vector
 * (batch norm, bias; input map null).
 */
function carry(
  name: string,
  init: WeightTensor,
  old: WeightTensor,
  input: ChannelMap | null,
  output: ChannelMap,
): WeightTensor {
  const data = init.data.slice();
  if (input === null) {
    if (init.shape.length !== 1 || init.shape[0] !== output.length) {
      throw new InvalidInputError(`${name}: expected [${output.length}], got [${init.shape}]`);
    }
    for (let o = 0; o < output.length; o++) if (output[o] >= 0) data[o] = old.data[output[o]];
    return { shape: init.shape, data };
  }
  const [kh, kw, cin, cout] = init.shape;
  const [okh, okw, ocin, ocout] = old.shape;
  if (cin !== input.length || cout !== output.length || kh !== okh || kw !== okw) {
    throw new InvalidInputError(`${name}: shape [${init.shape}] does not fit the channel maps`);
  }
  for (let k = 0; k < kh * kw; k++) {
    for (let i = 0; i < cin; i++) {
      for (let o = 0; o < cout; o++) {
        const at = (k * cin + i) * cout + o;
        if (input[i] < 0) data[at] = 0;
        else if (output[o] >= 0) data[at] = old.data[(k * ocin + input[i]) * ocout + output[o]];
      }
    }
  }
  return { shape: init.shape, data };
}
