/**
 * Exposure arithmetic (EV100, relative exposure between frames) and exposure-time resolution for a
 * bracket: explicit list, a shutter_times.txt file, or the frames' EXIF.
 */
import { readFile } from 'node:fs/promises';
import { InvalidInputError } from '../errors.js';
import { readExposureInfo } from './read-exif.js';

/** The exposure settings of one frame; any may be undefined when the metadata lacks it. */
export interface ExposureSettings {
  /** Shutter time in seconds. */
  readonly exposureTime?: number;
  /** Aperture f-number. */
  readonly fNumber?: number;
  /** ISO speed. */
  readonly iso?: number;
}

function requirePositive(value: number | undefined, field: string, who: string): number {
  if (value === undefined || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(
      `${who}: ${field} is ${value === undefined ? 'missing' : `invalid (${value})`}`,
    );
  }
  return value;
}

/**
 * Exposure value normalised to ISO 100: EV100 = log2(N²/t) − log2(ISO/100).
 *
 * Sign convention (photographic): EV100 grows as the exposure the sensor receives shrinks — one
 * more EV100 = half the light (shorter time, smaller aperture or lower ISO). f/1, 1 s, ISO 100
 * is EV100 0; f/16, 1/125 s, ISO 100 ("sunny 16") is ≈ 15.
 * @param exposureTime - seconds, > 0
 * @param fNumber - f-number N, > 0
 * @param iso - ISO speed, > 0
 * @throws InvalidInputError naming a missing or non-positive argument
 */
export function ev100(
  exposureTime: number | undefined,
  fNumber: number | undefined,
  iso: number | undefined,
): number {
  const t = requirePositive(exposureTime, 'exposureTime', 'ev100');
  const n = requirePositive(fNumber, 'fNumber', 'ev100');
  const s = requirePositive(iso, 'iso', 'ev100');
  return Math.log2((n * n) / t) - Math.log2(s / 100);
}

/**
 * Exposure of frame `b` relative to frame `a`: factor = (t_b·ISO_b/N_b²) / (t_a·ISO_a/N_a²),
 * stops = log2(factor) (positive when `b` is brighter). Missing fNumber/iso are not guessed: they
 * must be present on both frames.
 * @throws InvalidInputError naming the frame ("a"/"b") and the missing field
 */
export function relativeExposure(
  a: ExposureSettings,
  b: ExposureSettings,
): { factor: number; stops: number } {
  const ea =
    (requirePositive(a.exposureTime, 'exposureTime', 'frame a') *
      requirePositive(a.iso, 'iso', 'frame a')) /
    requirePositive(a.fNumber, 'fNumber', 'frame a') ** 2;
  const eb =
    (requirePositive(b.exposureTime, 'exposureTime', 'frame b') *
      requirePositive(b.iso, 'iso', 'frame b')) /
    requirePositive(b.fNumber, 'fNumber', 'frame b') ** 2;
  const factor = eb / ea;
  return { factor, stops: Math.log2(factor) };
}

/**
 * Parses one shutter time: "32", "0.5", "1/1024", "1/2.5", "2s", "1e-3".
 * @returns seconds (> 0), or undefined when the token is not a positive time
 */
export function parseShutterTime(token: string): number | undefined {
  const m = /^([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)(?:\/([0-9]*\.?[0-9]+(?:e[+-]?\d+)?))?s?$/i.exec(
    token.trim(),
  );
  if (!m) return undefined;
  const v = m[2] === undefined ? Number(m[1]) : Number(m[1]) / Number(m[2]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Parses a shutter_times.txt: times in seconds, one per line or whitespace/comma-separated, in
 * frame order, as decimals or fractions ("32", "0.5", "1/1024"); `#` starts a comment.
 * @returns exposure times in seconds, in file order
 * @throws InvalidInputError for an unparsable token (with its line number) or an empty list
 */
export function parseShutterTimes(content: string, source = 'shutter times'): number[] {
  const times: number[] = [];
  const lines = content.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*$/, '').trim();
    if (line.length === 0) continue;
    for (const token of line.split(/[\s,;]+/)) {
      if (token.length === 0) continue;
      const t = parseShutterTime(token);
      if (t === undefined) {
        throw new InvalidInputError(
          `${source}, line ${i + 1}: "${token}" is not a positive exposure time`,
        );
      }
      times.push(t);
    }
  }
  if (times.length === 0) throw new InvalidInputError(`${source}: no exposure times found`);
  return times;
}

/** Where {@link resolveExposureTimes} may take exposure times from. */
export interface ExposureTimeSource {
  /** Explicit times in seconds, one per file (wins over everything). */
  readonly times?: readonly number[];
  /** Path of a shutter_times.txt (see {@link parseShutterTimes}), used when `times` is absent. */
  readonly timesFile?: string;
}

/**
 * Exposure times for a bracket, in file order: from `times`, else `timesFile`, else each file's
 * EXIF ExposureTime.
 * @param files - image paths, in bracket order
 * @returns seconds per file (> 0)
 * @throws InvalidInputError when the count does not match the files, a time is not positive, or
 *   (EXIF route) some files lack ExposureTime — all of them are listed
 * @throws ImageReadError when a file cannot be read (EXIF route); InvalidInputError when the
 *   times file cannot be read
 */
export async function resolveExposureTimes(
  files: readonly string[],
  source: ExposureTimeSource = {},
): Promise<number[]> {
  let times: readonly number[] | undefined = source.times;
  let origin = 'times';
  if (times === undefined && source.timesFile !== undefined) {
    let content: string;
    try {
      content = await readFile(source.timesFile, 'utf8');
    } catch (err) {
      throw new InvalidInputError(
        `${source.timesFile}: cannot read exposure times: ${(err as Error).message}`,
      );
    }
    times = parseShutterTimes(content, source.timesFile);
    origin = source.timesFile;
  }
  if (times !== undefined) {
    if (times.length !== files.length) {
      throw new InvalidInputError(
        `${origin}: ${times.length} exposure times for ${files.length} images`,
      );
    }
    times.forEach((t, i) => {
      if (!Number.isFinite(t) || t <= 0) {
        throw new InvalidInputError(`${origin}: exposure time ${t} for ${files[i]} is not > 0`);
      }
    });
    return [...times];
  }
  const infos = await Promise.all(files.map((f) => readExposureInfo(f)));
  const lacking = files.filter((_, i) => infos[i].exposureTime === undefined);
  if (lacking.length > 0) {
    throw new InvalidInputError(
      `No ExposureTime in the EXIF of ${lacking.length} file(s): ${lacking.join(', ')}. ` +
        'Give the exposure times explicitly (times or a shutter_times.txt).',
    );
  }
  return infos.map((info) => info.exposureTime as number);
}
