/**
 * Agreement between our output and a peer's, and the raw float32 files the outputs travel in.
 *
 * - HDR radiance (merges): PSNR-μ (μ = 5000) after dividing both images by the peer's maximum
 *   (src/core/metrics muLawPsnr, the HDR-reconstruction convention), over the samples that some
 *   frame exposes (code 1…254): samples clipped in every frame carry no radiance information and
 *   each implementation fills them by its own policy ({@link informativeSamples}).
 * - Display images (fusion, tone mapping): plain PSNR on [0, 1], peer values clamped to [0, 1].
 * - Response curves: PSNR of ln f⁻¹ over the codes 1…254, both curves shifted to 0 at code 128,
 *   peak = the range of our ln curve (a curve-shape agreement, not an image one).
 */
import { readFile, writeFile } from 'node:fs/promises';
import {
  createHdr,
  type Channels,
  type FloatImage,
  type HdrImage,
} from '../../src/core/image/image.js';
import { psnr } from '../../src/core/metrics/psnr.js';
import { muLawPsnr } from '../../src/core/metrics/mu-law-psnr.js';
import { readImage } from '../../src/core/io/index.js';
import { linearToSrgb } from '../../src/core/image/transfer.js';

/** Writes interleaved float32 samples, little-endian, no header. */
export async function writeRaw(file: string, data: Float32Array): Promise<void> {
  await writeFile(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Reads a raw float32 file (as written by {@link writeRaw} or numpy's tofile). */
export async function readRaw(file: string): Promise<Float32Array> {
  const buf = await readFile(file);
  const out = new Float32Array(buf.length >> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4));
  return out;
}

/** Wraps raw samples as an image of the given shape. */
export function asImage(
  data: Float32Array,
  width: number,
  height: number,
  channels: Channels,
): HdrImage {
  return createHdr(width, height, channels, data);
}

/**
 * Marks the samples (pixel × channel) that at least one frame records unclipped, code 1…254.
 * @param frames - the bracket, encoded values in [0, 1], all the same shape
 * @returns 1 for an informative sample, 0 for one clipped (0 or 255) in every frame
 */
export function informativeSamples(frames: readonly FloatImage[]): Uint8Array {
  const mask = new Uint8Array(frames[0].data.length);
  for (const f of frames) {
    const d = f.data;
    for (let i = 0; i < d.length; i++) {
      const z = Math.round(d[i] * 255);
      if (z >= 1 && z <= 254) mask[i] = 1;
    }
  }
  return mask;
}

/**
 * PSNR-μ over the masked samples only (both divided by the peer's maximum over those samples).
 * @returns dB, or NaN when no sample is informative
 */
export function maskedMuLawPsnr(ours: FloatImage, peer: FloatImage, mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  if (n === 0) return NaN;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) {
    if (mask[i]) {
      a[k] = ours.data[i];
      b[k++] = peer.data[i];
    }
  }
  return muLawPsnr(createHdr(n, 1, 1, a), createHdr(n, 1, 1, b));
}

/** Kinds of output compared. */
export type AgreementKind = 'hdr' | 'display' | 'display-linear' | 'response';

function clamp01(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v > 0 ? (v < 1 ? v : 1) : 0;
  }
  return out;
}

function srgbEncoded(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = linearToSrgb(v > 0 ? (v < 1 ? v : 1) : 0);
  }
  return out;
}

function responsePsnr(ours: Float32Array, peer: Float32Array, channels: number): number {
  // Both curves are laid out code-major (z·channels + c), as OpenCV's 256×1×C response.
  let s = 0;
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < channels; c++) {
    const o0 = Math.log(ours[128 * channels + c]);
    const p0 = Math.log(peer[128 * channels + c]);
    for (let z = 1; z < 255; z++) {
      const a = Math.log(ours[z * channels + c]) - o0;
      const b = Math.log(peer[z * channels + c]) - p0;
      s += (a - b) * (a - b);
      n++;
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
    }
  }
  const mse = s / n;
  return mse === 0 ? Infinity : 10 * Math.log10(((hi - lo) * (hi - lo)) / mse);
}

/**
 * Agreement in dB between our output and the peer's (see the file comment for each kind).
 * 'display-linear': the peer's output is display-linear (OpenCV tone mappers with gamma 1) and is
 * sRGB-encoded here before the comparison with our sRGB output.
 */
export function agreement(ours: FloatImage, peer: FloatImage, kind: AgreementKind): number {
  switch (kind) {
    case 'hdr':
      return muLawPsnr(
        asImage(ours.data, ours.width, ours.height, ours.channels),
        asImage(peer.data, peer.width, peer.height, peer.channels),
      );
    case 'display':
      return psnr(
        asImage(clamp01(ours.data), ours.width, ours.height, ours.channels),
        asImage(clamp01(peer.data), peer.width, peer.height, peer.channels),
      );
    case 'display-linear':
      return psnr(
        asImage(clamp01(ours.data), ours.width, ours.height, ours.channels),
        asImage(srgbEncoded(peer.data), peer.width, peer.height, peer.channels),
      );
    case 'response':
      return responsePsnr(ours.data, peer.data, ours.channels);
  }
}

/** PSNR (dB, [0, 1]) between two display image files (PNG etc.), alpha ignored. */
export async function fileAgreement(oursFile: string, peerFile: string): Promise<number> {
  const [a, b] = await Promise.all([readImage(oursFile), readImage(peerFile)]);
  return agreement(a, b, 'display');
}
