/**
 * Reads the EXIF of a source photo as raw IFD entries for copying into derived frames, leaving
 * out everything that describes the source's pixel data or its original exposure/geometry.
 *
 * The container (JPEG APP1, PNG eXIf, WebP/AVIF/HEIF EXIF chunk) is located by sharp; for a TIFF
 * source, whose EXIF lives in the file's own IFD0, the file itself is parsed.
 */
import { readFile } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { ImageReadError } from '../errors.js';
import { oneLine } from '../io/limits.js';
import { entryRational, parseTiff, Tag, type IfdEntry, type ParsedTiff } from './tiff-ifd.js';

/** EXIF tags (ExifIFD) that a frame writer recomputes. */
export const ExifTag = {
  ExposureTime: 0x829a,
  ExifVersion: 0x9000,
  ComponentsConfiguration: 0x9101,
  ShutterSpeedValue: 0x9201,
  ExposureBiasValue: 0x9204,
  ColorSpace: 0xa001,
  PixelXDimension: 0xa002,
  PixelYDimension: 0xa003,
} as const;

/** IFD0 tags that a frame writer recomputes. */
export const Ifd0Tag = {
  ImageWidth: 0x0100,
  ImageLength: 0x0101,
  ImageDescription: 0x010e,
  Orientation: 0x0112,
  YCbCrPositioning: 0x0213,
} as const;

/**
 * IFD0 tags not carried: image structure (strips, tiles, sample layout, compression, JPEG/YCbCr
 * details), colour description of the source pixels (ICC, white point, primaries, transfer),
 * embedded blocks that repeat or outdate the EXIF (XMP, IPTC, Photoshop resources with their own
 * thumbnail), pointers, padding, and the note / orientation that are rewritten.
 */
// prettier-ignore
const IFD0_DROP = new Set<number>([
  0x00fe, 0x00ff, 0x0100, 0x0101, 0x0102, 0x0103, 0x0106, 0x0107, 0x0108, 0x0109, 0x010a, 0x010e,
  0x0111, 0x0112, 0x0115, 0x0116, 0x0117, 0x0118, 0x0119, 0x011c, 0x0120, 0x0121, 0x0122, 0x0123,
  0x0124, 0x0125, 0x012d, 0x013d, 0x013e, 0x013f, 0x0140, 0x0141, 0x0142, 0x0143, 0x0144, 0x0145,
  0x014a, 0x014c, 0x0152, 0x0153, 0x0154, 0x0155, 0x015b, 0x0200, 0x0201, 0x0202, 0x0203, 0x0205,
  0x0206, 0x0207, 0x0208, 0x0209, 0x0211, 0x0212, 0x0213, 0x0214, 0x02bc, 0x83bb, 0x8649, 0x8773,
  0x927c, 0xea1c, 0xea1d, Tag.ExifIfd, Tag.GpsIfd, Tag.InteropIfd,
]);

/** DNG and other raw-converter private tags (0xC612…0xCFFF) are not carried either. */
const isPrivateRawTag = (tag: number): boolean => tag >= 0xc612 && tag <= 0xcfff;

/**
 * ExifIFD tags not carried: the exposure fields that are recomputed, the source's compressed-data
 * description, subject coordinates (they refer to the un-rotated source), the image's unique ID,
 * MakerNote (vendor data with absolute offsets, and the original exposure), byte-order-dependent
 * blobs (OECF, CFA pattern, spatial frequency response, device settings), Interop, padding.
 */
// prettier-ignore
const EXIF_DROP = new Set<number>([
  ExifTag.ExposureTime, ExifTag.ShutterSpeedValue, ExifTag.ExposureBiasValue, ExifTag.ColorSpace,
  ExifTag.PixelXDimension, ExifTag.PixelYDimension, ExifTag.ComponentsConfiguration,
  0x8828, 0x9102, 0x9214, 0x927c, 0xa005, 0xa20c, 0xa214, 0xa302, 0xa40b, 0xa420, 0xea1c, 0xea1d,
]);

/** The carried part of a source photo's EXIF plus the values a frame writer recomputes from. */
export interface SourceExif {
  /** Name used in messages (the path, or "<source buffer>"). */
  readonly file: string;
  /** Byte order of the source EXIF (reused for JPEG frames to avoid swapping). */
  readonly littleEndian: boolean;
  /** Carried IFD0 entries (Make, Model, DateTime, Artist, Copyright, Software…). */
  readonly ifd0: readonly IfdEntry[];
  /** Carried ExifIFD entries (FNumber, ISO, DateTimeOriginal, SubSecTimeOriginal, lens…). */
  readonly exif: readonly IfdEntry[];
  /** GPS directory, carried whole. */
  readonly gps: readonly IfdEntry[];
  /** Source ExposureTime [numerator, denominator] in seconds, when recorded and > 0. */
  readonly exposureTime?: readonly [number, number];
  /** Source ExposureBiasValue in EV (0 when not recorded). */
  readonly exposureBias: number;
  /** Source ShutterSpeedValue (APEX Tv = −log2 t), when recorded. */
  readonly shutterSpeedValue?: number;
  /** Whether the source recorded ColorSpace. */
  readonly hasColorSpace: boolean;
}

const EXIF_PREFIX = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

function stripExifPrefix(block: Uint8Array): Uint8Array {
  return EXIF_PREFIX.every((b, i) => block[i] === b) ? block.subarray(6) : block;
}

/**
 * Keeps what should be carried from a parsed EXIF structure.
 * @returns undefined when nothing EXIF-like remains (e.g. a plain TIFF without EXIF)
 */
export function selectSourceExif(file: string, parsed: ParsedTiff): SourceExif | undefined {
  const ifd0 = parsed.ifd0.filter((e) => !IFD0_DROP.has(e.tag) && !isPrivateRawTag(e.tag));
  const exif = parsed.exif.filter((e) => !EXIF_DROP.has(e.tag));
  const gps = parsed.gps;
  const find = (tag: number): IfdEntry | undefined => parsed.exif.find((e) => e.tag === tag);
  const t = entryRational(find(ExifTag.ExposureTime));
  const bias = entryRational(find(ExifTag.ExposureBiasValue));
  const tv = entryRational(find(ExifTag.ShutterSpeedValue));
  const info: SourceExif = {
    file,
    littleEndian: parsed.littleEndian,
    ifd0,
    exif,
    gps,
    exposureTime: t && t[0] > 0 ? t : undefined,
    exposureBias: bias ? bias[0] / bias[1] : 0,
    shutterSpeedValue: tv ? tv[0] / tv[1] : undefined,
    hasColorSpace: find(ExifTag.ColorSpace) !== undefined,
  };
  const empty =
    ifd0.length === 0 &&
    gps.length === 0 &&
    parsed.exif.length === 0 &&
    info.exposureTime === undefined;
  return empty ? undefined : info;
}

/**
 * Reads the EXIF of a source photo (JPEG, TIFF, PNG, WebP, AVIF… anything sharp opens).
 * @param source - path, or the whole file's bytes
 * @param name - name for messages when `source` is bytes; default "<source buffer>"
 * @returns the carried EXIF, or undefined when the photo has none
 * @throws ImageReadError naming the file when it cannot be opened as an image or its EXIF header
 *   / IFD0 is corrupt (broken EXIF/GPS sub-directories and out-of-range entries are dropped)
 */
export async function readSourceExif(
  source: string | Uint8Array,
  name?: string,
): Promise<SourceExif | undefined> {
  const file = name ?? (typeof source === 'string' ? source : '<source buffer>');
  let meta: Metadata;
  try {
    meta = await sharp(source, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageReadError(file, `cannot read the source photo's metadata: ${oneLine(err)}`);
  }
  let block: Uint8Array | undefined;
  if (meta.exif && meta.exif.length > 0) block = stripExifPrefix(meta.exif);
  else if (meta.format === 'tiff') {
    try {
      block = typeof source === 'string' ? await readFile(source) : source;
    } catch (err) {
      throw new ImageReadError(file, `cannot read the source photo: ${oneLine(err)}`);
    }
  }
  if (!block) return undefined;
  let parsed: ParsedTiff;
  try {
    parsed = parseTiff(block);
  } catch (err) {
    throw new ImageReadError(file, `corrupt EXIF: ${oneLine(err)}`);
  }
  return selectSourceExif(file, parsed);
}
