/**
 * Binary image payloads: pixels as a typed array with a small header, never JSON number arrays.
 *
 * Wire layout (one self-describing buffer, the same over HTTP, WebSocket and IPC):
 *
 * | bytes  | field    | value                                                     |
 * |--------|----------|-----------------------------------------------------------|
 * | 0…3    | magic    | ASCII "BKIM"                                              |
 * | 4      | version  | 1                                                         |
 * | 5      | format   | sample type: 1 = u8, 2 = u16, 3 = f32                     |
 * | 6      | channels | 1 (grey), 3 (RGB) or 4 (RGBA), interleaved                |
 * | 7      | reserved | 0                                                         |
 * | 8…11   | width    | uint32, little-endian, pixels ≥ 1                         |
 * | 12…15  | height   | uint32, little-endian, pixels ≥ 1                         |
 * | 16…    | pixels   | width·height·channels samples, row-major, top row first,  |
 * |        |          | little-endian; u8/u16 display-encoded (sRGB), f32 linear  |
 *
 * The 16-byte prefix keeps the pixels 16-byte aligned, so the receiver reads them through a typed
 * array view on the received buffer without copying. Over HTTP the frame is the whole body of an
 * `application/octet-stream` response.
 */

/** Sample type of a payload. */
export type SampleFormat = 'u8' | 'u16' | 'f32';

/** Interleaved channels: grey, RGB, RGBA. */
export type ImageChannels = 1 | 3 | 4;

interface PayloadBase {
  /** Pixels, ≥ 1. */
  readonly width: number;
  /** Pixels, ≥ 1. */
  readonly height: number;
  readonly channels: ImageChannels;
}

/** An image on the wire: a header and its samples as a typed array. */
export type ImagePayload =
  | (PayloadBase & { readonly format: 'u8'; readonly data: Uint8Array })
  | (PayloadBase & { readonly format: 'u16'; readonly data: Uint16Array })
  | (PayloadBase & { readonly format: 'f32'; readonly data: Float32Array });

/** Byte length of the header that precedes the samples. */
export const IMAGE_HEADER_BYTES = 16;
/** MIME type of an image frame in an HTTP body. */
export const IMAGE_FRAME_MIME = 'application/octet-stream';

const MAGIC = [0x42, 0x4b, 0x49, 0x4d]; // "BKIM"
const VERSION = 1;
const CODE: Record<SampleFormat, number> = { u8: 1, u16: 2, f32: 3 };
const FORMAT_OF: Record<number, SampleFormat> = { 1: 'u8', 2: 'u16', 3: 'f32' };
const BYTES: Record<SampleFormat, number> = { u8: 1, u16: 2, f32: 4 };

/** Raised for a buffer that is not a valid image frame. */
export class ImageFrameError extends Error {
  constructor(message: string) {
    super(`image frame: ${message}`);
    this.name = 'ImageFrameError';
  }
}

function checkPayload(p: ImagePayload): void {
  if (!Number.isInteger(p.width) || !Number.isInteger(p.height) || p.width < 1 || p.height < 1) {
    throw new ImageFrameError(`invalid size ${p.width}×${p.height}`);
  }
  if (p.width > 0xffffffff || p.height > 0xffffffff) throw new ImageFrameError('size too large');
  if (p.channels !== 1 && p.channels !== 3 && p.channels !== 4) {
    throw new ImageFrameError(`invalid channel count ${String(p.channels)}`);
  }
  const expected = p.width * p.height * p.channels;
  if (p.data.length !== expected) {
    throw new ImageFrameError(
      `holds ${p.data.length} samples, expected ${p.width}×${p.height}×${p.channels} = ${expected}`,
    );
  }
}

/**
 * The 16-byte header of a payload (write it, then the samples' bytes, to stream a frame without
 * concatenating).
 * @throws ImageFrameError when size, channels and sample count disagree
 */
export function encodeImageHeader(p: ImagePayload): Uint8Array {
  checkPayload(p);
  const header = new Uint8Array(IMAGE_HEADER_BYTES);
  header.set(MAGIC, 0);
  header[4] = VERSION;
  header[5] = CODE[p.format];
  header[6] = p.channels;
  const view = new DataView(header.buffer);
  view.setUint32(8, p.width, true);
  view.setUint32(12, p.height, true);
  return header;
}

/** The samples of a payload as bytes (a view, no copy). Little-endian hosts only. */
export function payloadBytes(p: ImagePayload): Uint8Array {
  return new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength);
}

/**
 * Encodes a payload as one frame: header + samples (one copy of the samples).
 * @throws ImageFrameError when size, channels and sample count disagree
 */
export function encodeImageFrame(p: ImagePayload): Uint8Array {
  const header = encodeImageHeader(p);
  const out = new Uint8Array(IMAGE_HEADER_BYTES + p.data.byteLength);
  out.set(header, 0);
  out.set(payloadBytes(p), IMAGE_HEADER_BYTES);
  return out;
}

/**
 * Decodes a frame. The samples are a view on `frame`'s buffer when it is suitably aligned
 * (always, for a buffer that starts with the frame), else a copy.
 * @throws ImageFrameError for a bad magic, version, format, channel count or length
 */
export function decodeImageFrame(frame: ArrayBuffer | Uint8Array): ImagePayload {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length < IMAGE_HEADER_BYTES) {
    throw new ImageFrameError(`${bytes.length} bytes is shorter than the header`);
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) throw new ImageFrameError('bad magic (expected "BKIM")');
  }
  if (bytes[4] !== VERSION) throw new ImageFrameError(`unsupported version ${bytes[4]}`);
  const format = FORMAT_OF[bytes[5]];
  if (!format) throw new ImageFrameError(`unknown sample format code ${bytes[5]}`);
  const channels = bytes[6];
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ImageFrameError(`invalid channel count ${channels}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, IMAGE_HEADER_BYTES);
  const width = view.getUint32(8, true);
  const height = view.getUint32(12, true);
  const samples = width * height * channels;
  const byteLength = samples * BYTES[format];
  if (width < 1 || height < 1 || bytes.length !== IMAGE_HEADER_BYTES + byteLength) {
    throw new ImageFrameError(
      `${width}×${height}×${channels} ${format} needs ${IMAGE_HEADER_BYTES + byteLength} bytes, got ${bytes.length}`,
    );
  }
  const start = bytes.byteOffset + IMAGE_HEADER_BYTES;
  const aligned = start % BYTES[format] === 0;
  const buffer = aligned
    ? bytes.buffer
    : bytes.slice(IMAGE_HEADER_BYTES, IMAGE_HEADER_BYTES + byteLength).buffer;
  const offset = aligned ? start : 0;
  const base = { width, height, channels } as const;
  if (format === 'u8') return { ...base, format, data: new Uint8Array(buffer, offset, samples) };
  if (format === 'u16') return { ...base, format, data: new Uint16Array(buffer, offset, samples) };
  return { ...base, format, data: new Float32Array(buffer, offset, samples) };
}
