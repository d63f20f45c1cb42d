/**
 * OpenEXR header parsing and structural validation, done before any decoder runs so that
 * truncated or corrupt files, and oversized images, fail early with a clear reason.
 */
import { ImageReadError } from '../errors.js';

/** The OpenEXR magic number 20000630, little-endian. */
export const EXR_MAGIC = 20000630;

/** One entry of the `channels` attribute. */
export interface ExrChannel {
  name: string;
  /** 0 UINT, 1 HALF, 2 FLOAT */
  pixelType: number;
  xSampling: number;
  ySampling: number;
}

/** What the engine needs from an OpenEXR header. */
export interface ExrHeader {
  width: number;
  height: number;
  channels: ExrChannel[];
  /** Byte range of the `channels` attribute's value. */
  channelsValue: { start: number; end: number };
  compression: number;
  lineOrder: number;
  tiled: boolean;
  multiPart: boolean;
  deep: boolean;
  tiles?: { xSize: number; ySize: number; levelMode: number; roundingMode: number };
  /** Byte offset just after the header (start of the offset table). */
  headerEnd: number;
}

const COMPRESSION_NAMES = [
  'NONE',
  'RLE',
  'ZIPS',
  'ZIP',
  'PIZ',
  'PXR24',
  'B44',
  'B44A',
  'DWAA',
  'DWAB',
];
const LINES_PER_BLOCK = [1, 1, 1, 16, 32, 16, 32, 32, 32, 256];

/** True when the bytes start with the OpenEXR magic number. */
export function isOpenExr(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x76 &&
    bytes[1] === 0x2f &&
    bytes[2] === 0x31 &&
    bytes[3] === 0x01
  );
}

/**
 * Parses the (first part's) header.
 * @throws ImageReadError when the header is truncated, malformed or lacks required attributes
 */
export function parseExrHeader(file: string, b: Uint8Array): ExrHeader {
  const fail = (why: string): never => {
    throw new ImageReadError(file, why);
  };
  if (b.length < 8 || !isOpenExr(b)) fail('not an OpenEXR file (bad magic number)');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = b[4];
  if (version !== 2) fail(`unsupported OpenEXR version ${version}`);
  const flags = b[5];
  const maxName = flags & 4 ? 255 : 31;
  let pos = 8;
  const str = (): string => {
    const end = b.indexOf(0, pos);
    if (end < 0 || end - pos > maxName) fail('header is truncated or corrupt (unterminated name)');
    const s = Buffer.from(b.buffer, b.byteOffset + pos, end - pos).toString('latin1');
    pos = end + 1;
    return s;
  };
  const h: Partial<ExrHeader> = {
    tiled: !!(flags & 2),
    deep: !!(flags & 8),
    multiPart: !!(flags & 16),
  };
  let dataWindow: number[] | undefined;
  for (;;) {
    if (pos >= b.length) fail('header is truncated');
    const name = str();
    if (name === '') break;
    const type = str();
    if (pos + 4 > b.length) fail('header is truncated');
    const size = dv.getInt32(pos, true);
    pos += 4;
    if (size < 0 || pos + size > b.length)
      fail(`header is truncated or corrupt (attribute "${name}")`);
    const start = pos;
    const end = pos + size;
    if (name === 'channels' && type === 'chlist') {
      const list: ExrChannel[] = [];
      while (pos < end && b[pos] !== 0) {
        const cname = str();
        if (pos + 16 > end) fail('corrupt channel list');
        list.push({
          name: cname,
          pixelType: dv.getInt32(pos, true),
          xSampling: dv.getInt32(pos + 8, true),
          ySampling: dv.getInt32(pos + 12, true),
        });
        pos += 16;
      }
      h.channels = list;
      h.channelsValue = { start, end };
    } else if (name === 'compression' && size >= 1) {
      h.compression = b[start];
    } else if (name === 'dataWindow' && size >= 16) {
      dataWindow = [0, 4, 8, 12].map((k) => dv.getInt32(start + k, true));
    } else if (name === 'lineOrder' && size >= 1) {
      h.lineOrder = b[start];
    } else if (name === 'tiles' && size >= 9) {
      const mode = b[start + 8];
      h.tiles = {
        xSize: dv.getUint32(start, true),
        ySize: dv.getUint32(start + 4, true),
        levelMode: mode & 15,
        roundingMode: mode >> 4,
      };
    }
    pos = end;
  }
  if (!h.channels || h.channels.length === 0) fail('header has no channels');
  if (h.compression === undefined) fail('header has no compression attribute');
  if (h.compression! >= COMPRESSION_NAMES.length) fail(`unknown compression type ${h.compression}`);
  if (!dataWindow) fail('header has no dataWindow');
  const [x0, y0, x1, y1] = dataWindow!;
  h.width = x1 - x0 + 1;
  h.height = y1 - y0 + 1;
  if (!(h.width > 0 && h.height > 0)) fail(`invalid dataWindow ${x0},${y0}–${x1},${y1}`);
  if (h.tiled && (!h.tiles || h.tiles.xSize < 1 || h.tiles.ySize < 1))
    fail('tiled file without a valid tiles attribute');
  if (h.multiPart) {
    // skip the other parts' headers: each ends with an empty name; the list ends with one more
    while (pos < b.length && b[pos] !== 0) {
      while (str() !== '') {
        str();
        const size = dv.getInt32(pos, true);
        pos += 4 + size;
        if (pos > b.length) fail('header is truncated');
      }
    }
    pos++;
  }
  h.headerEnd = pos;
  h.lineOrder ??= 0;
  return h as ExrHeader;
}

/** Human name of a compression code, e.g. "ZIP". */
export function exrCompressionName(code: number): string {
  return COMPRESSION_NAMES[code] ?? `#${code}`;
}

function tileCount(h: ExrHeader): number {
  const t = h.tiles!;
  const levelsOf = (n: number): number => {
    let l = 0;
    if (t.roundingMode === 0) {
      for (let m = n; m > 1; m >>= 1) l++;
    } else {
      for (let m = 1; m < n; m *= 2) l++;
    }
    return l + 1;
  };
  const size = (n: number, l: number): number =>
    Math.max(1, t.roundingMode === 0 ? Math.floor(n / 2 ** l) : Math.ceil(n / 2 ** l));
  const levels = t.levelMode === 0 ? 1 : Math.max(levelsOf(h.width), levelsOf(h.height));
  let count = 0;
  for (let l = 0; l < levels; l++) {
    count += Math.ceil(size(h.width, l) / t.xSize) * Math.ceil(size(h.height, l) / t.ySize);
  }
  return count;
}

/**
 * Checks the chunk offset table of a single-part file: every chunk must lie inside the file.
 * This is what catches truncated files before the decoder reads past the end.
 * @throws ImageReadError naming the first chunk that is missing or out of range
 */
export function validateExrChunks(file: string, b: Uint8Array, h: ExrHeader): void {
  if (h.multiPart) return; // part offsets are validated by the decoder itself
  if (h.deep) throw new ImageReadError(file, 'deep OpenEXR data is not supported');
  if (h.tiled && h.tiles!.levelMode === 2)
    throw new ImageReadError(file, 'RIPMAP-tiled OpenEXR is not supported');
  const count = h.tiled ? tileCount(h) : Math.ceil(h.height / LINES_PER_BLOCK[h.compression]);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const tableEnd = h.headerEnd + 8 * count;
  if (tableEnd > b.length)
    throw new ImageReadError(file, 'file is truncated (offset table incomplete)');
  const chunkHeader = h.tiled ? 20 : 8;
  for (let i = 0; i < count; i++) {
    const off = Number(dv.getBigUint64(h.headerEnd + 8 * i, true));
    if (off < tableEnd || off + chunkHeader > b.length) {
      throw new ImageReadError(
        file,
        `file is truncated or corrupt (chunk ${i + 1} of ${count} lies outside the file)`,
      );
    }
    const size = dv.getUint32(off + chunkHeader - 4, true);
    if (off + chunkHeader + size > b.length) {
      throw new ImageReadError(
        file,
        `file is truncated (chunk ${i + 1} of ${count} is incomplete)`,
      );
    }
  }
}
