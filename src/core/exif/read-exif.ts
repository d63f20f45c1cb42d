/**
 * Reads the exposure-related EXIF fields of a photo (JPEG, TIFF, HEIC, PNG with eXIf…) with exifr.
 * Missing values are never guessed: they stay undefined and are listed in `missing`.
 */
import exifr from 'exifr';
import { ImageReadError } from '../errors.js';

type Options = Exclude<Parameters<typeof exifr.parse>[1], undefined | boolean | unknown[]>;

/** Exposure metadata of one photo. Every field is undefined when the file does not record it. */
export interface ExposureInfo {
  /** Shutter time in seconds (> 0). */
  readonly exposureTime?: number;
  /** Aperture f-number N (> 0), e.g. 2.8. */
  readonly fNumber?: number;
  /** ISO speed (ISOSpeedRatings / PhotographicSensitivity), e.g. 100. */
  readonly iso?: number;
  /** Exposure compensation set on the camera, in EV (EXIF ExposureBiasValue). */
  readonly exposureBias?: number;
  readonly make?: string;
  readonly model?: string;
  readonly lensModel?: string;
  /**
   * Capture time as an ISO-8601 string with sub-second precision when SubSecTimeOriginal exists,
   * e.g. "2024-05-06T07:08:09.123", with a "+02:00"-style suffix only when OffsetTimeOriginal
   * records the time zone (otherwise it is the camera's wall-clock time, zone unknown).
   */
  readonly dateTimeOriginal?: string;
  /**
   * {@link dateTimeOriginal} in milliseconds since 1970-01-01. When the zone is unknown the
   * wall-clock time is read as if it were UTC: comparable between frames of one camera (bracket
   * grouping, ordering), not an absolute instant.
   */
  readonly captureTimeMs?: number;
  /** EXIF orientation 1…8 (1 = upright). */
  readonly orientation?: number;
  /** Names of the fields above that the file does not record. */
  readonly missing: readonly ExposureField[];
}

/** Fields of {@link ExposureInfo} that can be missing. */
export type ExposureField =
  | 'exposureTime'
  | 'fNumber'
  | 'iso'
  | 'exposureBias'
  | 'make'
  | 'model'
  | 'lensModel'
  | 'dateTimeOriginal'
  | 'orientation';

const FIELDS: readonly ExposureField[] = [
  'exposureTime',
  'fNumber',
  'iso',
  'exposureBias',
  'make',
  'model',
  'lensModel',
  'dateTimeOriginal',
  'orientation',
];

const PARSE_OPTIONS: Options = {
  tiff: true,
  exif: true,
  gps: false,
  interop: false,
  ifd1: false,
  makerNote: false,
  userComment: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  // Raw values: dates stay strings (no local-time-zone guessing), enums stay numbers.
  reviveValues: false,
  translateValues: false,
  translateKeys: true,
  mergeOutput: true,
};

function positiveNumber(v: unknown): number | undefined {
  const n = Array.isArray(v) ? v[0] : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function finiteNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const t = v.replace(/\u0000+$/, '').trim();
  return t.length > 0 ? t : undefined;
}

/**
 * Parses an EXIF date "YYYY:MM:DD HH:MM:SS" plus optional sub-seconds ("123" = .123 s) and
 * offset ("+02:00"). Returns undefined for blank or malformed dates (e.g. "0000:00:00 00:00:00").
 */
export function parseExifDate(
  date: string,
  subSec?: string,
  offset?: string,
): { iso: string; ms: number } | undefined {
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(date.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (y === 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return undefined;
  }
  const digits = subSec?.trim().match(/^\d+/)?.[0] ?? '';
  const frac = digits.length > 0 ? Number(`0.${digits}`) : 0;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s) + frac * 1000;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  let iso = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
  if (digits.length > 0) iso += `.${digits}`;
  const off = offset ? /^([+-])(\d{2}):?(\d{2})$/.exec(offset.trim()) : null;
  if (off) {
    const minutes = (Number(off[2]) * 60 + Number(off[3])) * (off[1] === '-' ? -1 : 1);
    ms -= minutes * 60_000;
    iso += `${off[1]}${off[2]}:${off[3]}`;
  }
  return { iso, ms };
}

/**
 * Reads exposure metadata from a photo.
 * @param file - path to the image, or its bytes (Buffer / Uint8Array)
 * @returns the fields found; a file without EXIF gives every field undefined and listed in
 *   `missing` (not an error)
 * @throws ImageReadError when the file cannot be read or is not an image format exifr knows
 */
export async function readExposureInfo(file: string | Uint8Array): Promise<ExposureInfo> {
  const name = typeof file === 'string' ? file : '<buffer>';
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(file as string | Buffer, PARSE_OPTIONS)) as
      Record<string, unknown> | undefined;
  } catch (err) {
    throw new ImageReadError(name, `cannot read EXIF: ${(err as Error).message}`);
  }
  const t = tags ?? {};
  const dateText = text(t.DateTimeOriginal);
  const date = dateText
    ? parseExifDate(dateText, text(t.SubSecTimeOriginal), text(t.OffsetTimeOriginal))
    : undefined;
  const orientation = finiteNumber(t.Orientation);
  const info: Omit<ExposureInfo, 'missing'> = {
    exposureTime: positiveNumber(t.ExposureTime),
    fNumber: positiveNumber(t.FNumber),
    iso: positiveNumber(t.ISO) ?? positiveNumber(t.ISOSpeedRatings),
    exposureBias: finiteNumber(t.ExposureCompensation) ?? finiteNumber(t.ExposureBiasValue),
    make: text(t.Make),
    model: text(t.Model),
    lensModel: text(t.LensModel),
    dateTimeOriginal: date?.iso,
    captureTimeMs: date?.ms,
    orientation:
      orientation !== undefined &&
      Number.isInteger(orientation) &&
      orientation >= 1 &&
      orientation <= 8
        ? orientation
        : undefined,
  };
  const missing = FIELDS.filter((f) => info[f] === undefined);
  return { ...info, missing };
}
