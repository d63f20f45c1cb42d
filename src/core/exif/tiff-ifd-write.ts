/**
 * Builds IFD entries and serialises an {@link IfdTree} (IFD0 + EXIF + GPS directories with their
 * out-of-line values) in one byte order, for an EXIF APP1 block or for appending to a TIFF file.
 */
import {
  Tag,
  TiffType,
  unitByteLength,
  valueByteLength,
  type IfdEntry,
  type IfdTree,
} from './tiff-ifd.js';

function entry(tag: number, type: number, count: number, fill: (dv: DataView) => void): IfdEntry {
  const value = new Uint8Array(valueByteLength(type, count));
  fill(new DataView(value.buffer));
  return { tag, type, count, value, littleEndian: true };
}

/** An ASCII entry: the text's characters (non-ASCII replaced by '?') plus the NUL terminator. */
export function asciiEntry(tag: number, text: string): IfdEntry {
  // eslint-disable-next-line no-control-regex
  const bytes = new TextEncoder().encode(text.replace(/[^\x00-\x7f]/g, '?'));
  return entry(tag, TiffType.ASCII, bytes.length + 1, (dv) => {
    new Uint8Array(dv.buffer).set(bytes);
  });
}

/** A BYTE entry with the given values 0…255 (e.g. GPSVersionID 2.3.0.0). */
export function byteEntry(tag: number, values: readonly number[]): IfdEntry {
  return entry(tag, TiffType.BYTE, values.length, (dv) => {
    new Uint8Array(dv.buffer).set(values);
  });
}

/** A SHORT entry with one value 0…65535. */
export function shortEntry(tag: number, value: number): IfdEntry {
  return entry(tag, TiffType.SHORT, 1, (dv) => dv.setUint16(0, value, true));
}

/** A LONG entry with one value 0…2³²−1. */
export function longEntry(tag: number, value: number): IfdEntry {
  return entry(tag, TiffType.LONG, 1, (dv) => dv.setUint32(0, value, true));
}

/** A RATIONAL entry: numerator and denominator 0…2³²−1. */
export function rationalEntry(tag: number, [num, den]: readonly [number, number]): IfdEntry {
  return entry(tag, TiffType.RATIONAL, 1, (dv) => {
    dv.setUint32(0, num, true);
    dv.setUint32(4, den, true);
  });
}

/** An SRATIONAL entry: numerator and denominator −2³¹…2³¹−1. */
export function srationalEntry(tag: number, [num, den]: readonly [number, number]): IfdEntry {
  return entry(tag, TiffType.SRATIONAL, 1, (dv) => {
    dv.setInt32(0, num, true);
    dv.setInt32(4, den, true);
  });
}

/** An UNDEFINED entry holding the given bytes (e.g. ExifVersion "0232"). */
export function undefinedEntry(tag: number, bytes: Uint8Array): IfdEntry {
  return entry(tag, TiffType.UNDEFINED, bytes.length, (dv) => {
    new Uint8Array(dv.buffer).set(bytes);
  });
}

const even = (n: number): number => n + (n & 1);

/** Bytes an IFD with these entries takes, values included (each value word-aligned). */
function ifdByteLength(entries: readonly IfdEntry[]): number {
  let n = 2 + 12 * entries.length + 4;
  for (const e of entries) if (e.value.length > 4) n += even(e.value.length);
  return n;
}

/** Copies an entry's value into `out` at `at`, converting its byte order when needed. */
function putValue(out: Uint8Array, at: number, e: IfdEntry, littleEndian: boolean): void {
  const unit = unitByteLength(e.type);
  if (unit === 1 || e.littleEndian === littleEndian) {
    out.set(e.value, at);
    return;
  }
  const v = e.value;
  for (let i = 0; i < v.length; i += unit) {
    for (let k = 0; k < unit; k++) out[at + i + k] = v[i + unit - 1 - k];
  }
}

function writeIfd(
  out: Uint8Array,
  at: number,
  entries: readonly IfdEntry[],
  littleEndian: boolean,
  origin: number,
  next: number,
): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  dv.setUint16(at, entries.length, littleEndian);
  let data = at + 2 + 12 * entries.length + 4;
  entries.forEach((e, i) => {
    const p = at + 2 + 12 * i;
    dv.setUint16(p, e.tag, littleEndian);
    dv.setUint16(p + 2, e.type, littleEndian);
    dv.setUint32(p + 4, e.count, littleEndian);
    if (e.value.length <= 4) {
      putValue(out, p + 8, e, littleEndian);
    } else {
      dv.setUint32(p + 8, origin + data, littleEndian);
      putValue(out, data, e, littleEndian);
      data += even(e.value.length);
    }
  });
  dv.setUint32(at + 2 + 12 * entries.length, next, littleEndian);
}

function sorted(entries: readonly IfdEntry[], name: string): IfdEntry[] {
  const s = [...entries].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < s.length; i++) {
    if (s[i].tag === s[i - 1].tag)
      throw new Error(`duplicate tag 0x${s[i].tag.toString(16)} in ${name}`);
  }
  return s;
}

/**
 * Serialises IFD0, then the EXIF directory, then the GPS directory, each followed by its values.
 * Pointer entries for non-empty EXIF/GPS directories are added to IFD0 (any given are replaced);
 * empty directories are left out. Entries are sorted by tag, as TIFF requires.
 * @param littleEndian - byte order of the target TIFF structure
 * @param origin - offset, from the TIFF header, at which the returned bytes will be placed (even)
 * @param next - the next-IFD offset to store in IFD0 (0 = none, i.e. no thumbnail IFD1)
 * @returns the bytes, whose first byte is IFD0
 * @throws Error on duplicate tags or when the result would not fit 32-bit offsets
 */
export function serializeIfdTree(
  tree: IfdTree,
  littleEndian: boolean,
  origin: number,
  next = 0,
): Uint8Array {
  if (origin % 2 !== 0) throw new Error('IFD origin must be even');
  const pointerTags = new Set<number>([Tag.ExifIfd, Tag.GpsIfd]);
  const base = tree.ifd0.filter((e) => !pointerTags.has(e.tag));
  const exif = sorted(tree.exif, 'EXIF IFD');
  const gps = sorted(tree.gps, 'GPS IFD');
  // Pointers are 4-byte inline values, so IFD0's size is known before their values are.
  const ifd0Size =
    ifdByteLength(base) + 12 * ((exif.length > 0 ? 1 : 0) + (gps.length > 0 ? 1 : 0));
  const exifAt = ifd0Size;
  const gpsAt = exifAt + (exif.length > 0 ? ifdByteLength(exif) : 0);
  const total = gpsAt + (gps.length > 0 ? ifdByteLength(gps) : 0);
  if (origin + total > 0xffffffff) throw new Error('EXIF does not fit 32-bit TIFF offsets');
  const ifd0 = [...base];
  if (exif.length > 0) ifd0.push(longEntry(Tag.ExifIfd, origin + exifAt));
  if (gps.length > 0) ifd0.push(longEntry(Tag.GpsIfd, origin + gpsAt));
  const out = new Uint8Array(total);
  writeIfd(out, 0, sorted(ifd0, 'IFD0'), littleEndian, origin, next);
  if (exif.length > 0) writeIfd(out, exifAt, exif, littleEndian, origin, 0);
  if (gps.length > 0) writeIfd(out, gpsAt, gps, littleEndian, origin, 0);
  return out;
}
