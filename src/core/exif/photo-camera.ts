/**
 * The camera of a photo as camera profiles match it: EXIF "Make Model" plus the picture style
 * when the file records one where exifr reads it (EXIF/XMP tags `PictureStyle` (Canon),
 * `PictureControlName` (Nikon), `CreativeStyle` (Sony), first found in that order). exifr does
 * not decode makers' MakerNote blocks, so straight-from-camera JPEGs usually give no style and
 * match only profiles without one.
 */
import exifr from 'exifr';
import { readExposureInfo } from './read-exif.js';

/** The camera of a photo as profiles match it. */
export interface PhotoCamera {
  /** "Make Model" (as models-service keys cameras), null when the photo records neither */
  readonly key: string | null;
  /** picture style, null when not recorded */
  readonly style: string | null;
}

/** Tags that name a picture style, in the order they are tried. */
export const STYLE_TAGS = ['PictureStyle', 'PictureControlName', 'CreativeStyle'] as const;

/**
 * The picture style among parsed tags: the first of {@link STYLE_TAGS} holding a non-blank
 * string (trimmed, trailing NULs dropped) or a number (as text).
 * @returns the style, or null when none is recorded
 */
export function pickStyle(tags: Readonly<Record<string, unknown>> | undefined): string | null {
  if (!tags) return null;
  for (const name of STYLE_TAGS) {
    const v = tags[name];
    const s =
      typeof v === 'string'
        ? // eslint-disable-next-line no-control-regex
          v.replace(/\u0000+$/, '').trim()
        : typeof v === 'number'
          ? String(v)
          : '';
    if (s) return s;
  }
  return null;
}

/** "Make Model" from the two EXIF fields (blank ones left out); null when both are missing. */
export function cameraKeyOf(make: string | undefined, model: string | undefined): string | null {
  return [make, model].filter((v) => v).join(' ') || null;
}

/**
 * Reads the photo's camera. Never throws: an unreadable file or one without EXIF gives
 * `{ key: null, style: null }`.
 */
export async function readPhotoCamera(file: string): Promise<PhotoCamera> {
  let key: string | null;
  try {
    const info = await readExposureInfo(file);
    key = cameraKeyOf(info.make, info.model);
  } catch {
    return { key: null, style: null };
  }
  let style: string | null;
  try {
    const tags = (await exifr.parse(file, {
      tiff: true,
      exif: true,
      xmp: true,
      makerNote: false,
      gps: false,
      icc: false,
      iptc: false,
      mergeOutput: true,
      translateValues: false,
    })) as Record<string, unknown> | undefined;
    style = pickStyle(tags);
  } catch {
    style = null;
  }
  return { key, style };
}
