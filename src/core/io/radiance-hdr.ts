/**
 * Radiance RGBE (.hdr / .pic) reader and writer, written from the format description.
 *
 * Reading: header lines up to a blank line (`#?RADIANCE`, `#?RGBE` or any `#?` program id;
 * `FORMAT=32-bit_rle_rgbe` only; `EXPOSURE=` values multiply and pixels are divided by their
 * product), then a resolution line `±Y h ±X w` (rotated, X-first layouts are rejected).
 * Bottom-up (`+Y`) and mirrored (`-X`) files are flipped to top-first, left-first.
 * Scanlines may be new-style adaptive RLE, flat, or old-style RLE (1,1,1,n repeat pixels).
 * Decoding uses Radiance's convention `(m + 0.5)·2^(e−136)`, so the writer's truncation
 * error is centred.
 */
import { ImageReadError } from '../errors.js';
import { createHdr, type HdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { checkPixelLimit, type ReadLimits } from './limits.js';

const MAX_HEADER_BYTES = 65536;

/** True when the bytes start like a Radiance file (`#?`). */
export function isRadiance(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x23 && bytes[1] === 0x3f;
}

interface RadianceHeader {
  width: number;
  height: number;
  bottomUp: boolean;
  mirrored: boolean;
  exposure: number;
  dataStart: number;
}

function parseHeader(file: string, b: Uint8Array): RadianceHeader {
  let pos = 0;
  const line = (): string => {
    const end = b.indexOf(0x0a, pos);
    if (end < 0 || end > MAX_HEADER_BYTES)
      throw new ImageReadError(file, 'Radiance header is truncated or too long');
    const s = Buffer.from(b.buffer, b.byteOffset + pos, end - pos).toString('latin1');
    pos = end + 1;
    return s.replace(/\r$/, '');
  };
  if (!line().startsWith('#?'))
    throw new ImageReadError(file, 'not a Radiance file (missing #? signature)');
  let exposure = 1;
  let format = '';
  for (;;) {
    const l = line();
    if (l.trim() === '') break;
    if (l.startsWith('FORMAT=')) format = l.slice(7).trim();
    else if (l.startsWith('EXPOSURE=')) {
      const e = Number(l.slice(9).trim());
      if (!(e > 0) || !Number.isFinite(e))
        throw new ImageReadError(file, `invalid EXPOSURE value "${l.slice(9)}"`);
      exposure *= e;
    }
  }
  if (format !== '' && format !== '32-bit_rle_rgbe') {
    throw new ImageReadError(
      file,
      `unsupported Radiance pixel format "${format}" (only 32-bit_rle_rgbe)`,
    );
  }
  const res = line().trim();
  const m = /^([-+])Y\s+(\d+)\s+([-+])X\s+(\d+)$/.exec(res);
  if (!m) {
    if (/^[-+]X\s+\d+\s+[-+]Y\s+\d+$/.test(res)) {
      throw new ImageReadError(file, `unsupported rotated Radiance orientation "${res}"`);
    }
    throw new ImageReadError(file, `invalid Radiance resolution line "${res.slice(0, 40)}"`);
  }
  return {
    height: Number(m[2]),
    width: Number(m[4]),
    bottomUp: m[1] === '+',
    mirrored: m[3] === '-',
    exposure,
    dataStart: pos,
  };
}

/** Reads the size from a Radiance header without decoding pixels. */
export function readRadianceSize(
  file: string,
  bytes: Uint8Array,
): { width: number; height: number } {
  const h = parseHeader(file, bytes);
  return { width: h.width, height: h.height };
}

/**
 * Decodes a Radiance RGBE file.
 * @param file - name used in error messages
 * @param bytes - the whole file
 * @returns linear RGB, top row first, values ≥ 0 (divided by the header's EXPOSURE)
 * @throws ImageReadError on a bad header, truncated data, bad run lengths or a width mismatch
 */
export function decodeRadiance(
  file: string,
  bytes: Uint8Array,
  limits: ReadLimits = {},
  options: JobOptions = {},
): HdrImage {
  const h = parseHeader(file, bytes);
  checkPixelLimit(file, h.width, h.height, limits);
  const { width, height } = h;
  const out = new Float32Array(width * height * 3);
  const scan = new Uint8Array(width * 4);
  // 2^(e-136) for e in 0…255, with e = 0 meaning black
  const scale = new Float32Array(256);
  for (let e = 1; e < 256; e++) scale[e] = 2 ** (e - 136) / h.exposure;
  const n = bytes.length;
  let pos = h.dataStart;
  const fail = (y: number, why: string): never => {
    throw new ImageReadError(file, `${why} in scanline ${y + 1} of ${height}`);
  };
  for (let y = 0; y < height; y++) {
    if ((y & 63) === 0) {
      throwIfAborted(options.signal);
      options.onProgress?.({ fraction: y / height, message: 'Reading Radiance' });
    }
    if (pos + 4 > n) fail(y, 'data is truncated');
    const newRle =
      width >= 8 &&
      width < 32768 &&
      bytes[pos] === 2 &&
      bytes[pos + 1] === 2 &&
      !(bytes[pos + 2] & 0x80);
    if (newRle) {
      const w = (bytes[pos + 2] << 8) | bytes[pos + 3];
      if (w !== width) fail(y, `scanline width ${w} does not match image width ${width}`);
      pos += 4;
      for (let c = 0; c < 4; c++) {
        let x = 0;
        while (x < width) {
          if (pos >= n) fail(y, 'data is truncated');
          let count = bytes[pos++];
          if (count > 128) {
            count -= 128;
            if (x + count > width) fail(y, 'bad run length');
            if (pos >= n) fail(y, 'data is truncated');
            const v = bytes[pos++];
            for (let k = 0; k < count; k++) scan[(x++ << 2) | c] = v;
          } else {
            if (count === 0 || x + count > width) fail(y, 'bad run length');
            if (pos + count > n) fail(y, 'data is truncated');
            for (let k = 0; k < count; k++) scan[(x++ << 2) | c] = bytes[pos++];
          }
        }
      }
    } else {
      // flat pixels, possibly with old-style runs (1,1,1,n repeats the previous pixel)
      let x = 0;
      let shift = 0;
      while (x < width) {
        if (pos + 4 > n) fail(y, 'data is truncated');
        const r = bytes[pos];
        const g = bytes[pos + 1];
        const b = bytes[pos + 2];
        const e = bytes[pos + 3];
        pos += 4;
        if (r === 1 && g === 1 && b === 1) {
          if (x === 0) fail(y, 'old-style run without a preceding pixel');
          const count = e << shift;
          if (x + count > width) fail(y, 'bad run length');
          const src = (x - 1) << 2;
          for (let k = 0; k < count; k++, x++) {
            const d = x << 2;
            scan[d] = scan[src];
            scan[d + 1] = scan[src + 1];
            scan[d + 2] = scan[src + 2];
            scan[d + 3] = scan[src + 3];
          }
          shift += 8;
        } else {
          const d = x << 2;
          scan[d] = r;
          scan[d + 1] = g;
          scan[d + 2] = b;
          scan[d + 3] = e;
          x++;
          shift = 0;
        }
      }
    }
    const row = h.bottomUp ? height - 1 - y : y;
    let o = row * width * 3;
    const step = h.mirrored ? -3 : 3;
    if (h.mirrored) o += (width - 1) * 3;
    for (let x = 0; x < width; x++, o += step) {
      const i = x << 2;
      const f = scale[scan[i + 3]];
      out[o] = (scan[i] + 0.5) * f;
      out[o + 1] = (scan[i + 1] + 0.5) * f;
      out[o + 2] = (scan[i + 2] + 0.5) * f;
    }
  }
  options.onProgress?.({ fraction: 1, message: 'Reading Radiance' });
  return createHdr(width, height, 3, out);
}
