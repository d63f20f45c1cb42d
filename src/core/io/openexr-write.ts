/**
 * Scanline OpenEXR writer (single part): HALF (default) or FLOAT pixels, ZIP (16-line blocks,
 * byte-interleave reorder + delta predictor + zlib) or NONE compression. Channels B, G, R
 * (alphabetical, as the format requires) for RGB images, Y for grey. Half conversion rounds
 * to nearest even and clamps |v| > 65504 to 65504 (see half-float.ts); NaN → 0.
 */
import { deflateSync } from 'node:zlib';
import type { HdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { floatsToHalf } from './half-float.js';

/** Options of {@link encodeOpenExr}. */
export interface ExrWriteOptions {
  /** Store 16-bit half floats (default true) or 32-bit floats. */
  readonly half?: boolean;
  /** 'zip' (default) or 'none'. */
  readonly compression?: 'zip' | 'none';
}

class ByteWriter {
  buf = Buffer.alloc(1024);
  pos = 0;
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  str(s: string): void {
    this.ensure(s.length + 1);
    this.pos += this.buf.write(s, this.pos, 'latin1');
    this.buf[this.pos++] = 0;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  i32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeInt32LE(v, this.pos);
  }
  f32(v: number): void {
    this.ensure(4);
    this.pos = this.buf.writeFloatLE(v, this.pos);
  }
  attr(name: string, type: string, size: number): void {
    this.str(name);
    this.str(type);
    this.i32(size);
  }
}

/** In-place OpenEXR ZIP pre-processing: split even/odd bytes, then delta-encode. */
function reorderAndPredict(raw: Uint8Array, tmp: Uint8Array, n: number): void {
  const half = (n + 1) >> 1;
  for (let i = 0, a = 0, b = half; i < n; i += 2) {
    tmp[a++] = raw[i];
    if (i + 1 < n) tmp[b++] = raw[i + 1];
  }
  let p = tmp[0];
  for (let i = 1; i < n; i++) {
    const t = tmp[i];
    tmp[i] = (t - p + 384) & 255;
    p = t;
  }
}

/**
 * Encodes an HDR image (1 or 3 channels) as a scanline OpenEXR file.
 * @returns the file bytes
 */
export function encodeOpenExr(
  image: HdrImage,
  options: ExrWriteOptions = {},
  job: JobOptions = {},
): Uint8Array {
  const { width, height, channels, data } = image;
  const half = options.half ?? true;
  const zip = (options.compression ?? 'zip') === 'zip';
  const names = channels === 3 ? ['B', 'G', 'R'] : ['Y'];
  const src = channels === 3 ? [2, 1, 0] : [0];
  const bps = half ? 2 : 4;
  const w = new ByteWriter();
  w.buf.writeUInt32LE(20000630, 0);
  w.buf.writeUInt32LE(2, 4);
  w.pos = 8;
  w.attr('channels', 'chlist', names.length * 18 + 1);
  for (const name of names) {
    w.str(name);
    w.i32(half ? 1 : 2);
    w.i32(0); // pLinear + reserved
    w.i32(1);
    w.i32(1);
  }
  w.u8(0);
  w.attr('compression', 'compression', 1);
  w.u8(zip ? 3 : 0);
  for (const win of ['dataWindow', 'displayWindow']) {
    w.attr(win, 'box2i', 16);
    [0, 0, width - 1, height - 1].forEach((v) => w.i32(v));
  }
  w.attr('lineOrder', 'lineOrder', 1);
  w.u8(0);
  w.attr('pixelAspectRatio', 'float', 4);
  w.f32(1);
  w.attr('screenWindowCenter', 'v2f', 8);
  w.f32(0);
  w.f32(0);
  w.attr('screenWindowWidth', 'float', 4);
  w.f32(1);
  w.u8(0);
  const linesPerBlock = zip ? 16 : 1;
  const nBlocks = Math.ceil(height / linesPerBlock);
  const tablePos = w.pos;
  w.ensure(nBlocks * 8);
  w.pos += nBlocks * 8;

  const lineBytes = width * names.length * bps;
  const raw = new Uint8Array(new ArrayBuffer(Math.ceil((lineBytes * linesPerBlock) / 4) * 4));
  const tmp = new Uint8Array(raw.length);
  const plane = new Float32Array(width);
  const halfLine = new Uint16Array(width);
  // little-endian hosts only (every platform Node ships for): typed views write LE directly
  const raw16 = new Uint16Array(raw.buffer);
  const raw32 = new Float32Array(raw.buffer);
  for (let blk = 0; blk < nBlocks; blk++) {
    if ((blk & 15) === 0) {
      throwIfAborted(job.signal);
      job.onProgress?.({ fraction: blk / nBlocks, message: 'Writing OpenEXR' });
    }
    const y0 = blk * linesPerBlock;
    const lines = Math.min(linesPerBlock, height - y0);
    let o = 0;
    for (let y = y0; y < y0 + lines; y++) {
      for (let c = 0; c < names.length; c++) {
        let s = y * width * channels + src[c];
        for (let x = 0; x < width; x++, s += channels) plane[x] = data[s];
        if (half) {
          floatsToHalf(plane, halfLine);
          raw16.set(halfLine, o >> 1);
          o += width * 2;
        } else {
          for (let x = 0, k = o >> 2; x < width; x++, k++) {
            const v = plane[x];
            raw32[k] = v === v ? v : 0;
          }
          o += width * 4;
        }
      }
    }
    let payload: Uint8Array = raw.subarray(0, o);
    if (zip) {
      reorderAndPredict(raw, tmp, o);
      const packed = deflateSync(tmp.subarray(0, o), { level: 1 });
      if (packed.length < o) payload = packed;
    }
    w.buf.writeBigUInt64LE(BigInt(w.pos), tablePos + blk * 8);
    w.i32(y0);
    w.i32(payload.length);
    w.ensure(payload.length);
    w.buf.set(payload, w.pos);
    w.pos += payload.length;
  }
  job.onProgress?.({ fraction: 1, message: 'Writing OpenEXR' });
  return w.buf.subarray(0, w.pos);
}
