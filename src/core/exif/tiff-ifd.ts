/**
 * TIFF image file directories (IFDs) — the structure EXIF is stored in — as plain entries whose
 * values are kept as raw bytes plus their byte order, so a tag can be copied between files
 * without knowing its meaning. Classic TIFF only (32-bit offsets, not BigTIFF).
 */

/** TIFF field types 1…12 (TIFF 6.0 / EXIF 2.3). */
export const TiffType = {
  BYTE: 1,
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  RATIONAL: 5,
  SBYTE: 6,
  UNDEFINED: 7,
  SSHORT: 8,
  SLONG: 9,
  SRATIONAL: 10,
  FLOAT: 11,
  DOUBLE: 12,
} as const;

/** Bytes per value of each type (index = type; 0 = unknown type). */
const VALUE_BYTES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8] as const;
/** Bytes per byte-order unit of each type: a RATIONAL is two 4-byte integers. */
const UNIT_BYTES = [0, 1, 1, 2, 4, 4, 1, 1, 2, 4, 4, 4, 8] as const;

/** Sub-IFD pointer tags. */
export const Tag = {
  ExifIfd: 0x8769,
  GpsIfd: 0x8825,
  InteropIfd: 0xa005,
} as const;

/** One directory entry. */
export interface IfdEntry {
  /** Tag number 0…65535. */
  readonly tag: number;
  /** Field type 1…12 ({@link TiffType}). */
  readonly type: number;
  /** Number of values (not bytes). */
  readonly count: number;
  /** The value bytes, exactly count × size-of-type long. */
  readonly value: Uint8Array;
  /** Byte order the multi-byte numbers in {@link value} are stored in. */
  readonly littleEndian: boolean;
}

/** IFD0 (main image) with its EXIF and GPS sub-directories; pointers are not listed as entries. */
export interface IfdTree {
  readonly ifd0: readonly IfdEntry[];
  readonly exif: readonly IfdEntry[];
  readonly gps: readonly IfdEntry[];
}

/** A parsed TIFF structure: the tree plus what is needed to rewrite it. */
export interface ParsedTiff extends IfdTree {
  readonly littleEndian: boolean;
  /** Offset of IFD0 from the start of the TIFF header. */
  readonly ifd0Offset: number;
  /** IFD0's next-IFD offset (0 = none; for a JPEG's EXIF it points to the thumbnail IFD1). */
  readonly next: number;
}

/**
 * Size in bytes of `count` values of `type`.
 * @returns 0 for an unknown type
 */
export function valueByteLength(type: number, count: number): number {
  return (VALUE_BYTES[type] ?? 0) * count;
}

/** Byte-order unit of a type (1 for bytes and ASCII: never swapped). */
export function unitByteLength(type: number): number {
  return UNIT_BYTES[type] ?? 1;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads a classic TIFF header ("II*\0" or "MM\0*").
 * @throws Error naming the problem when it is not one
 */
export function parseTiffHeader(bytes: Uint8Array): { littleEndian: boolean; ifd0Offset: number } {
  if (bytes.length < 8) throw new Error('TIFF header truncated');
  const bo = (bytes[0] << 8) | bytes[1];
  if (bo !== 0x4949 && bo !== 0x4d4d) throw new Error('no TIFF byte-order mark');
  const littleEndian = bo === 0x4949;
  const dv = view(bytes);
  const magic = dv.getUint16(2, littleEndian);
  if (magic === 43) throw new Error('BigTIFF is not supported');
  if (magic !== 42) throw new Error(`bad TIFF magic number ${magic}`);
  return { littleEndian, ifd0Offset: dv.getUint32(4, littleEndian) };
}

/**
 * Reads the directory at `offset`.
 * @param strict - throw on an entry with an unknown type or a value outside the data, instead of
 *   skipping it (use for files whose every tag must survive)
 * @throws Error when the directory itself lies outside the data
 */
export function readIfd(
  bytes: Uint8Array,
  offset: number,
  littleEndian: boolean,
  strict = false,
): { entries: IfdEntry[]; next: number } {
  const dv = view(bytes);
  if (offset < 8 || offset + 2 > bytes.length) throw new Error(`IFD offset ${offset} out of range`);
  const n = dv.getUint16(offset, littleEndian);
  const end = offset + 2 + 12 * n;
  if (end + 4 > bytes.length) throw new Error(`IFD at ${offset} with ${n} entries is truncated`);
  const entries: IfdEntry[] = [];
  for (let i = 0; i < n; i++) {
    const p = offset + 2 + 12 * i;
    const tag = dv.getUint16(p, littleEndian);
    // Type 13 (IFD) is a LONG offset, used by some writers for sub-IFD pointers.
    const rawType = dv.getUint16(p + 2, littleEndian);
    const type = rawType === 13 ? TiffType.LONG : rawType;
    const count = dv.getUint32(p + 4, littleEndian);
    const size = valueByteLength(type, count);
    if (size === 0 && count !== 0) {
      if (strict) throw new Error(`tag 0x${tag.toString(16)} has unknown type ${rawType}`);
      continue;
    }
    let at = p + 8;
    if (size > 4) {
      at = dv.getUint32(p + 8, littleEndian);
      if (at + size > bytes.length) {
        if (strict) throw new Error(`tag 0x${tag.toString(16)} points outside the file`);
        continue;
      }
    }
    entries.push({ tag, type, count, value: bytes.slice(at, at + size), littleEndian });
  }
  return { entries, next: dv.getUint32(end, littleEndian) };
}

/**
 * The first LONG value of an entry (e.g. a sub-IFD pointer), or undefined.
 */
export function entryUint(entry: IfdEntry | undefined): number | undefined {
  if (!entry || entry.count < 1) return undefined;
  const dv = view(entry.value);
  if (entry.type === TiffType.LONG) return dv.getUint32(0, entry.littleEndian);
  if (entry.type === TiffType.SHORT) return dv.getUint16(0, entry.littleEndian);
  return undefined;
}

/**
 * The first value of a RATIONAL or SRATIONAL entry as [numerator, denominator], or undefined
 * when the entry is missing, of another type, or has a zero denominator.
 */
export function entryRational(entry: IfdEntry | undefined): [number, number] | undefined {
  if (!entry || entry.count < 1) return undefined;
  const dv = view(entry.value);
  const le = entry.littleEndian;
  let r: [number, number];
  if (entry.type === TiffType.RATIONAL) r = [dv.getUint32(0, le), dv.getUint32(4, le)];
  else if (entry.type === TiffType.SRATIONAL) r = [dv.getInt32(0, le), dv.getInt32(4, le)];
  else return undefined;
  return r[1] === 0 ? undefined : r;
}

function subIfd(
  bytes: Uint8Array,
  entries: readonly IfdEntry[],
  tag: number,
  littleEndian: boolean,
): IfdEntry[] {
  const offset = entryUint(entries.find((e) => e.tag === tag));
  if (offset === undefined || offset === 0) return [];
  try {
    return readIfd(bytes, offset, littleEndian).entries;
  } catch {
    return []; // a broken sub-directory is dropped, not fatal
  }
}

/**
 * Parses a TIFF structure — a TIFF file, or the EXIF block of a JPEG/PNG/WebP without its
 * "Exif\0\0" prefix — into IFD0 and its EXIF and GPS sub-directories. Entries of IFD0 keep the
 * sub-IFD pointer tags; IFD1 (thumbnail) and the Interop directory are not read.
 * @param strict - see {@link readIfd}; applies to IFD0 only
 * @throws Error when the header or IFD0 is unreadable
 */
export function parseTiff(bytes: Uint8Array, strict = false): ParsedTiff {
  const { littleEndian, ifd0Offset } = parseTiffHeader(bytes);
  const { entries, next } = readIfd(bytes, ifd0Offset, littleEndian, strict);
  return {
    littleEndian,
    ifd0Offset,
    next,
    ifd0: entries,
    exif: subIfd(bytes, entries, Tag.ExifIfd, littleEndian),
    gps: subIfd(bytes, entries, Tag.GpsIfd, littleEndian),
  };
}
