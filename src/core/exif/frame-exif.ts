/**
 * The EXIF directories of one virtual bracket frame, built from the source photo's carried EXIF
 * and the frame's EV offset.
 */
import { biasRational, formatEv, scaleExposureTime, signedRational } from './exif-rational.js';
import { ExifTag, Ifd0Tag, type SourceExif } from './exif-source.js';
import type { IfdEntry, IfdTree } from './tiff-ifd.js';
import {
  asciiEntry,
  byteEntry,
  longEntry,
  rationalEntry,
  shortEntry,
  srationalEntry,
  undefinedEntry,
} from './tiff-ifd-write.js';

/** Start of the ImageDescription every frame carries, e.g. "Bracketeer virtual exposure EV +2.00". */
export const FRAME_NOTE_PREFIX = 'Bracketeer virtual exposure EV ';

/** The note written to IFD0 ImageDescription for a frame at `ev` (offset from the source). */
export function frameNote(ev: number): string {
  return FRAME_NOTE_PREFIX + formatEv(ev);
}

/** Entries of `base` with those of `add` appended, an entry of `add` replacing one of equal tag. */
export function withEntries(base: readonly IfdEntry[], add: readonly IfdEntry[]): IfdEntry[] {
  const tags = new Set(add.map((e) => e.tag));
  return [...base.filter((e) => !tags.has(e.tag)), ...add];
}

/** Options of {@link buildFrameTree}. */
export interface FrameTreeOptions {
  /** Frame size in pixels, for a JPEG's PixelX/YDimension. */
  readonly width: number;
  readonly height: number;
  /**
   * JPEG frames with carried EXIF also get the tags EXIF requires of a compressed image:
   * YCbCrPositioning = 1 (centred, as libjpeg samples), ComponentsConfiguration = Y Cb Cr and
   * PixelX/YDimension. (TIFF records its size in IFD0; EXIF does not allow PixelX/YDimension.)
   */
  readonly jpeg: boolean;
  /** Leave out carried entries whose value exceeds this many bytes (to fit a JPEG APP1). */
  readonly maxCarriedValueBytes?: number;
}

const EXIF_VERSION = '0232';
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const GPS_VERSION_ID = 0x0000;

/** The carried ExifVersion when it is newer than 2.32, else "0232" (frames may carry 2.3 tags). */
function exifVersion(carried: readonly IfdEntry[]): IfdEntry {
  const e = carried.find((c) => c.tag === ExifTag.ExifVersion);
  const v = e && e.value.length === 4 ? new TextDecoder().decode(e.value) : '';
  if (e && /^\d{4}$/.test(v) && v > EXIF_VERSION) return e;
  return undefinedEntry(ExifTag.ExifVersion, ascii(EXIF_VERSION));
}

/**
 * Builds a frame's IFD0 / ExifIFD / GPS entries.
 *
 * With source EXIF: every carried source tag, plus Orientation = 1, ImageDescription = note,
 * ExposureBiasValue = source bias + ev, ExposureTime = source × 2^ev and ShutterSpeedValue =
 * source − ev (each only when the source had it), ColorSpace = 1 (sRGB, what the frame encoder
 * writes) when the source had one, ExifVersion "0232" (or the source's if newer), GPSVersionID
 * 2.3.0.0 when GPS tags lack it, and for JPEG the tags of {@link FrameTreeOptions.jpeg}.
 * Without: Orientation = 1, ImageDescription, ExifVersion "0232", ExposureBiasValue = ev.
 * @param ev - the frame's offset from the source exposure, in EV
 */
export function buildFrameTree(
  source: SourceExif | undefined,
  ev: number,
  options: FrameTreeOptions,
): IfdTree {
  const limit = options.maxCarriedValueBytes ?? Infinity;
  const carry = (entries: readonly IfdEntry[] | undefined): IfdEntry[] =>
    (entries ?? []).filter((e) => e.value.length <= limit);
  const ifd0Add = [
    shortEntry(Ifd0Tag.Orientation, 1),
    asciiEntry(Ifd0Tag.ImageDescription, frameNote(ev)),
  ];
  if (!source) {
    return {
      ifd0: ifd0Add,
      exif: [
        undefinedEntry(ExifTag.ExifVersion, ascii(EXIF_VERSION)),
        srationalEntry(ExifTag.ExposureBiasValue, biasRational(ev)),
      ],
      gps: [],
    };
  }
  const exifAdd = [
    exifVersion(source.exif),
    srationalEntry(ExifTag.ExposureBiasValue, biasRational(source.exposureBias + ev)),
  ];
  if (source.exposureTime) {
    exifAdd.push(rationalEntry(ExifTag.ExposureTime, scaleExposureTime(source.exposureTime, ev)));
  }
  if (source.shutterSpeedValue !== undefined) {
    exifAdd.push(
      srationalEntry(ExifTag.ShutterSpeedValue, signedRational(source.shutterSpeedValue - ev)),
    );
  }
  if (source.hasColorSpace) exifAdd.push(shortEntry(ExifTag.ColorSpace, 1));
  if (options.jpeg) {
    ifd0Add.push(shortEntry(Ifd0Tag.YCbCrPositioning, 1));
    exifAdd.push(
      undefinedEntry(ExifTag.ComponentsConfiguration, new Uint8Array([1, 2, 3, 0])),
      longEntry(ExifTag.PixelXDimension, options.width),
      longEntry(ExifTag.PixelYDimension, options.height),
    );
  }
  const gps = carry(source.gps);
  if (gps.length > 0 && !gps.some((e) => e.tag === GPS_VERSION_ID)) {
    gps.push(byteEntry(GPS_VERSION_ID, [2, 3, 0, 0]));
  }
  return {
    ifd0: withEntries(carry(source.ifd0), ifd0Add),
    exif: withEntries(carry(source.exif), exifAdd),
    gps,
  };
}
