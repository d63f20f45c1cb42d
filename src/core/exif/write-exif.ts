/**
 * EXIF for virtual bracket frames: the source photo's EXIF is copied into each already-encoded
 * frame (JPEG or TIFF as produced by sharp), with the frame's exposure written over it:
 *
 * - ExposureBiasValue = source bias + ev (SRATIONAL; exact for multiples of 1/2 and 1/3 EV,
 *   else 1/100 EV); ExposureTime = source × 2^ev and ShutterSpeedValue = source − ev, only when
 *   the source records them (never invented);
 * - Orientation = 1 (frames are written upright); ImageDescription =
 *   "Bracketeer virtual exposure EV +2.00" (the offset from the source; Software is carried);
 * - no IFD1 thumbnail, no MakerNote, no Interop directory, no tags describing the source's pixel
 *   data (see exif-source.ts for the full list).
 *
 * Pixel data is never re-encoded: for JPEG an APP1 segment is inserted before the image data;
 * for TIFF a new IFD0 (the old one's entries plus the EXIF tags) and the EXIF/GPS directories
 * are appended and the header is pointed at them, so strips stay where they are. (sharp/libvips
 * cannot do this: it writes no EXIF at all into TIFF, and for JPEG it rounds decimal rationals to
 * 1/1000 and ignores BYTE tags such as GPSVersionID.)
 */
import { ImageWriteError, InvalidInputError } from '../errors.js';
import { oneLine } from '../io/limits.js';
import { readSourceExif, Ifd0Tag, type SourceExif } from './exif-source.js';
import { buildFrameTree, withEntries } from './frame-exif.js';
import { replaceJpegExif, scanJpeg, MAX_JPEG_EXIF_BYTES } from './jpeg-exif.js';
import { entryUint, parseTiff, Tag, type IfdTree, type ParsedTiff } from './tiff-ifd.js';
import { serializeIfdTree } from './tiff-ifd-write.js';

/** Encoded frame formats that can carry EXIF here. */
export type FrameFormat = 'jpeg' | 'tiff';

/** Largest accepted |EV offset|. */
export const MAX_EV_OFFSET = 20;

/** Options of {@link addVirtualFrameExif} / {@link withVirtualFrameExif}. */
export interface FrameExifOptions {
  /** Name of the frame for error messages (e.g. the output path); default "<encoded frame>". */
  readonly outputName?: string;
  /** Name of the source for error messages when it is given as bytes. */
  readonly sourceName?: string;
}

/** Entries carried from the source larger than this are dropped when a JPEG APP1 overflows. */
const APP1_FALLBACK_VALUE_BYTES = 512;

function checkEv(ev: number): void {
  if (!Number.isFinite(ev) || Math.abs(ev) > MAX_EV_OFFSET) {
    throw new InvalidInputError(
      `EV offset must be a number in [-${MAX_EV_OFFSET}, ${MAX_EV_OFFSET}], got ${ev}`,
    );
  }
}

function tiffBlock(tree: IfdTree, littleEndian: boolean): Uint8Array {
  const ifds = serializeIfdTree(tree, littleEndian, 8);
  const out = new Uint8Array(8 + ifds.length);
  const dv = new DataView(out.buffer);
  out.set(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]);
  dv.setUint16(2, 42, littleEndian);
  dv.setUint32(4, 8, littleEndian);
  out.set(ifds, 8);
  return out;
}

function jpegWithExif(jpeg: Uint8Array, source: SourceExif | undefined, ev: number): Uint8Array {
  const layout = scanJpeg(jpeg);
  const opts = { width: layout.width, height: layout.height, jpeg: true };
  const le = source?.littleEndian ?? true;
  let block = tiffBlock(buildFrameTree(source, ev, opts), le);
  if (block.length > MAX_JPEG_EXIF_BYTES) {
    const slim = { ...opts, maxCarriedValueBytes: APP1_FALLBACK_VALUE_BYTES };
    block = tiffBlock(buildFrameTree(source, ev, slim), le);
  }
  return replaceJpegExif(jpeg, block, layout);
}

function tiffWithExif(
  tiff: Uint8Array,
  source: SourceExif | undefined,
  ev: number,
): readonly Uint8Array[] {
  const parsed: ParsedTiff = parseTiff(tiff, true);
  const find = (tag: number): number | undefined =>
    entryUint(parsed.ifd0.find((e) => e.tag === tag));
  const width = find(Ifd0Tag.ImageWidth);
  const height = find(Ifd0Tag.ImageLength);
  if (!width || !height) throw new Error('TIFF IFD0 has no image size');
  const frame = buildFrameTree(source, ev, { width, height, jpeg: false });
  // The file's own IFD0 tags (structure, resolution) win over carried ones, except the two
  // tags a frame always sets; its EXIF/GPS pointers are replaced.
  const forced = new Set<number>([Ifd0Tag.Orientation, Ifd0Tag.ImageDescription]);
  const own = parsed.ifd0.filter(
    (e) => !forced.has(e.tag) && e.tag !== Tag.ExifIfd && e.tag !== Tag.GpsIfd,
  );
  const ownTags = new Set(own.map((e) => e.tag));
  const ifd0 = withEntries(
    own,
    frame.ifd0.filter((e) => forced.has(e.tag) || !ownTags.has(e.tag)),
  );
  const origin = (tiff.length + 3) & ~3;
  const chunk = serializeIfdTree(
    { ifd0, exif: frame.exif, gps: frame.gps },
    parsed.littleEndian,
    origin,
    parsed.next,
  );
  // No copy of the image data: a new header pointing at the new IFDs, the rest of the file
  // as it is, 0–3 pad bytes and the IFDs.
  const header = Uint8Array.from(tiff.subarray(0, 8)); // a copy (Buffer#slice would be a view)
  new DataView(header.buffer, header.byteOffset, 8).setUint32(4, origin, parsed.littleEndian);
  const appended = new Uint8Array(origin - tiff.length + chunk.length);
  appended.set(chunk, origin - tiff.length);
  return [header, tiff.subarray(8), appended];
}

/**
 * Writes a frame's EXIF into its encoded bytes (synchronous; read the source once with
 * {@link readSourceExif} and reuse it for every frame).
 * @param encoded - the frame as encoded by sharp: baseline/progressive JPEG, or classic TIFF
 *   (8 or 16 bits, any compression; the pixel data is not touched)
 * @param source - the source photo's EXIF, or undefined when it has none
 * @param evOffset - the frame's exposure offset from the source in EV, within ±{@link MAX_EV_OFFSET}
 * @returns new bytes: a JPEG with the EXIF APP1 segment replaced, or a TIFF with the EXIF
 *   directories appended (a few hundred bytes to a few KB larger)
 * @throws InvalidInputError for a bad `evOffset`; ImageWriteError naming the frame when
 *   `encoded` is not a well-formed JPEG / classic TIFF
 */
export function addVirtualFrameExif(
  encoded: Uint8Array,
  format: FrameFormat,
  source: SourceExif | undefined,
  evOffset: number,
  options: FrameExifOptions = {},
): Uint8Array {
  const parts = virtualFrameExifParts(encoded, format, source, evOffset, options);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * {@link addVirtualFrameExif} as consecutive parts of the file, to be written one after the
 * other (writeFileAtomic takes them): a TIFF's image data is then a view on `encoded`, not a
 * copy (a 24-MP 16-bit frame is 50–90 MB). Same parameters and errors.
 */
export function virtualFrameExifParts(
  encoded: Uint8Array,
  format: FrameFormat,
  source: SourceExif | undefined,
  evOffset: number,
  options: FrameExifOptions = {},
): readonly Uint8Array[] {
  checkEv(evOffset);
  try {
    return format === 'jpeg'
      ? [jpegWithExif(encoded, source, evOffset)]
      : tiffWithExif(encoded, source, evOffset);
  } catch (err) {
    const name = options.outputName ?? '<encoded frame>';
    throw new ImageWriteError(
      name,
      `cannot add EXIF to the ${format.toUpperCase()} frame: ${oneLine(err)}`,
    );
  }
}

/**
 * Reads the source photo's EXIF and writes a frame's EXIF into its encoded bytes; the caller then
 * writes the result once (e.g. with writeFileAtomic). See {@link addVirtualFrameExif}.
 * @param source - the source photo: path or whole-file bytes (JPEG, TIFF, PNG, WebP, AVIF…)
 * @param evOffset - the frame's exposure offset from the source in EV
 * @throws ImageReadError naming the source when it cannot be read or its EXIF is corrupt;
 *   InvalidInputError / ImageWriteError as {@link addVirtualFrameExif}
 */
export async function withVirtualFrameExif(
  encoded: Uint8Array,
  format: FrameFormat,
  source: Uint8Array | string,
  evOffset: number,
  options: FrameExifOptions = {},
): Promise<Uint8Array> {
  checkEv(evOffset);
  const exif = await readSourceExif(source, options.sourceName);
  return addVirtualFrameExif(encoded, format, exif, evOffset, options);
}

export { readSourceExif, type SourceExif };
