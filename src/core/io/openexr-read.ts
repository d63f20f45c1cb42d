/**
 * OpenEXR reader: the header is parsed and validated here (magic, version, attributes,
 * chunk table, pixel cap), then pixels are decoded by three.js's EXRLoader, which handles
 * NONE/RLE/ZIPS/ZIP/PIZ/PXR24/B44/DWAA/DWAB, scanline and tiled files and Y/RY/BY luma-chroma.
 *
 * Channel sets three rejects are mapped first, in a copy of the header bytes:
 * - a single channel not named Y (e.g. only "G") is decoded as grey (renamed "Y");
 * - a layer "name.R/.G/.B" without plain R, G, B is renamed to R, G, B.
 * Files with subsampled channels (luma-chroma RY/BY at half resolution): three handles them
 * only with B44/B44A compression (otherwise it ignores x/ySampling and returns black), so
 * scanline NONE/RLE/ZIPS/ZIP/PIZ ones go to our own decoder (openexr-subsampled.ts); other
 * subsampled files (PXR24, DWA) are rejected with a clear error.
 * The decoded data is returned as 3-channel RGB, top row first (three outputs bottom-up).
 * Negative values (lossy DWA overshoot), NaN and ±Inf become 0. Alpha is dropped.
 */
import { FloatType } from 'three';
import { EXRLoader } from 'three/examples/jsm/loaders/EXRLoader.js';
import { ImageReadError } from '../errors.js';
import { createHdr, type HdrImage } from '../image/image.js';
import { throwIfAborted, type JobOptions } from '../job.js';
import { checkPixelLimit, oneLine, type ReadLimits } from './limits.js';
import { parseExrHeader, validateExrChunks, type ExrHeader } from './openexr-header.js';
import { canDecodeScanlineExr, decodeScanlineExr } from './openexr-subsampled.js';

/** Reads the size from an OpenEXR header without decoding pixels. */
export function readOpenExrSize(
  file: string,
  bytes: Uint8Array,
): { width: number; height: number } {
  const h = parseExrHeader(file, bytes);
  return { width: h.width, height: h.height };
}

function renameMap(file: string, h: ExrHeader): Map<string, string> | null {
  const names = new Set(h.channels.map((c) => c.name));
  if ((names.has('R') && names.has('G') && names.has('B')) || names.has('Y')) return null;
  if (h.channels.length === 1) return new Map([[h.channels[0].name, 'Y']]);
  const layers = [...names]
    .filter((n) => n.endsWith('.R'))
    .map((n) => n.slice(0, -2))
    .filter((p) => names.has(`${p}.G`) && names.has(`${p}.B`))
    .sort();
  if (layers.length > 0) {
    const p = layers[0];
    const map = new Map([
      [`${p}.R`, 'R'],
      [`${p}.G`, 'G'],
      [`${p}.B`, 'B'],
    ]);
    // keep other names unique and out of the way of R, G, B
    for (const n of names)
      if (!map.has(n) && (n === 'R' || n === 'G' || n === 'B')) map.set(n, `_${n}`);
    return map;
  }
  const list = h.channels.map((c) => c.name).join(', ');
  throw new ImageReadError(
    file,
    `OpenEXR file has no RGB or luminance channels (channels: ${list})`,
  );
}

/** Rebuilds the file with renamed channels (same order, so the pixel layout is unchanged). */
function renameChannels(
  file: string,
  b: Uint8Array,
  h: ExrHeader,
  map: Map<string, string>,
): Uint8Array {
  const { start, end } = h.channelsValue;
  const parts: Buffer[] = [];
  for (let pos = start; pos < end && b[pos] !== 0;) {
    const z = b.indexOf(0, pos);
    const name = Buffer.from(b.subarray(pos, z)).toString('latin1');
    parts.push(Buffer.from(map.get(name) ?? name, 'latin1'), Buffer.from(b.subarray(z, z + 17)));
    pos = z + 17;
  }
  parts.push(Buffer.from([0]));
  const value = Buffer.concat(parts);
  if (value.length !== end - start && h.multiPart) {
    throw new ImageReadError(file, 'cannot remap channel names in a multi-part OpenEXR file');
  }
  const size = Buffer.alloc(4);
  size.writeInt32LE(value.length);
  // the 4-byte size precedes the value; chunk offsets are not used by the single-part decoder
  return Buffer.concat([b.subarray(0, start - 4), size, value, b.subarray(end)]);
}

const quiet = (): void => undefined;

/**
 * Decodes an OpenEXR file.
 * @param file - name used in error messages
 * @param bytes - the whole file
 * @returns linear RGB, top row first, finite values ≥ 0
 * @throws ImageReadError on corrupt/truncated data, unsupported features or the pixel cap
 */
export function decodeOpenExr(
  file: string,
  bytes: Uint8Array,
  limits: ReadLimits = {},
  options: JobOptions = {},
): HdrImage {
  const h = parseExrHeader(file, bytes);
  checkPixelLimit(file, h.width, h.height, limits);
  validateExrChunks(file, bytes, h);
  const sub = h.channels.find((c) => c.xSampling !== 1 || c.ySampling !== 1);
  if (sub && h.compression !== 6 && h.compression !== 7) {
    // three handles subsampling only for B44/B44A (otherwise it returns black): use our decoder
    if (canDecodeScanlineExr(h)) return decodeScanlineExr(file, bytes, h, options);
    throw new ImageReadError(
      file,
      `subsampled OpenEXR channels are not supported (channel "${sub.name}" is sampled ${sub.xSampling}×${sub.ySampling})`,
    );
  }
  throwIfAborted(options.signal);
  const map = renameMap(file, h);
  const input = map ? renameChannels(file, bytes, h, map) : bytes;
  // three needs an ArrayBuffer holding exactly the file (copy when the bytes are a view)
  const ab =
    input.byteOffset === 0 &&
    input.byteLength === input.buffer.byteLength &&
    input.buffer instanceof ArrayBuffer
      ? input.buffer
      : new Uint8Array(input).buffer;
  const loader = new EXRLoader().setDataType(FloatType);
  const { warn, error, log } = console;
  let result: ReturnType<EXRLoader['parse']>;
  try {
    console.warn = console.error = console.log = quiet;
    result = loader.parse(ab);
  } catch (err) {
    throw new ImageReadError(file, `cannot decode OpenEXR: ${oneLine(err)}`);
  } finally {
    console.warn = warn;
    console.error = error;
    console.log = log;
  }
  const { width, height } = result;
  const src = result.data;
  const stride = src.length / (width * height);
  if (width !== h.width || height !== h.height || !(src instanceof Float32Array) || stride < 3) {
    throw new ImageReadError(file, 'cannot decode OpenEXR: unexpected decoder output');
  }
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    let s = (height - 1 - y) * width * stride;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, s += stride, o += 3) {
      const r = src[s];
      const g = src[s + 1];
      const b = src[s + 2];
      // v > 0 is false for NaN; v < Inf rejects +Inf
      out[o] = r > 0 && r < Infinity ? r : 0;
      out[o + 1] = g > 0 && g < Infinity ? g : 0;
      out[o + 2] = b > 0 && b < Infinity ? b : 0;
    }
  }
  options.onProgress?.({ fraction: 1, message: 'Reading OpenEXR' });
  return createHdr(width, height, 3, out);
}
