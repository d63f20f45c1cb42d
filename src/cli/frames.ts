import { readFile } from 'node:fs/promises';
import type { InverseResponse } from '../core/camera/response.js';
import { RESPONSE_LEVELS } from '../core/camera/response.js';
import { InvalidInputError } from '../core/errors.js';
import { resolveExposureTimes, parseShutterTime } from '../core/exif/exposure.js';
import type { LdrImage } from '../core/image/image.js';
import { readImage } from '../core/io/index.js';
import type { ParsedArgs } from './command.js';
import { UsageError } from './usage-error.js';

/** The `--times` / `--times-file` options shared by every bracket command. */
export const TIMES_OPTIONS = {
  times: { type: 'string' },
  'times-file': { type: 'string' },
} as const;

export const TIMES_USAGE = `  --times t1,t2,…     exposure times in seconds, one per frame (e.g. 1/30,1/8,0.5)
  --times-file F      a text file with one exposure time per line (e.g. shutter_times.txt)
                      (without either, times come from each frame's EXIF ExposureTime)`;

/** Reads bracket frames; every frame must be a display-referred (LDR) image. */
export async function readFrames(files: readonly string[], min = 2): Promise<LdrImage[]> {
  if (files.length < min) throw new UsageError(`needs at least ${min} frames, got ${files.length}`);
  const frames: LdrImage[] = [];
  for (const file of files) {
    const img = await readImage(file);
    if (img.kind !== 'ldr') {
      throw new InvalidInputError(`${file}: is an HDR image; brackets are made of LDR frames`);
    }
    frames.push(img);
  }
  return frames;
}

/** Exposure times from `--times`, `--times-file` or EXIF, in file order. */
export async function framesTimes(files: readonly string[], args: ParsedArgs): Promise<number[]> {
  const list = args.values.times;
  const timesFile = args.values['times-file'];
  if (list !== undefined && timesFile !== undefined) {
    throw new UsageError('give either --times or --times-file, not both');
  }
  let times: number[] | undefined;
  if (typeof list === 'string') {
    times = list.split(',').map((token) => {
      const t = parseShutterTime(token.trim());
      if (t === undefined) throw new UsageError(`--times: "${token}" is not an exposure time`);
      return t;
    });
  }
  return resolveExposureTimes(files, {
    times,
    timesFile: typeof timesFile === 'string' ? timesFile : undefined,
  });
}

/** Reads a response curve written by `bracketeer calibrate -o curve.json`. */
export async function readResponseFile(file: string): Promise<InverseResponse> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InvalidInputError(`${file}: cannot read response curve: ${(err as Error).message}`);
  }
  const inverse = (parsed as { inverse?: unknown }).inverse;
  const ok =
    Array.isArray(inverse) &&
    (inverse.length === 1 || inverse.length === 3) &&
    inverse.every(
      (c) =>
        Array.isArray(c) &&
        c.length === RESPONSE_LEVELS &&
        c.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0),
    );
  if (!ok) {
    throw new InvalidInputError(
      `${file}: not a response curve (expected "inverse": 1 or 3 arrays of ${RESPONSE_LEVELS} positive numbers)`,
    );
  }
  const source = (parsed as { source?: unknown }).source;
  return {
    inverse: (inverse as number[][]).map((c) => Float32Array.from(c)),
    source: typeof source === 'string' ? source : file,
  };
}

/** A string option's value, or undefined. */
export function stringOption(args: ParsedArgs, key: string): string | undefined {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric option's value, validated, or the default. */
export function numberOption(
  args: ParsedArgs,
  key: string,
  fallback: number,
  check: (v: number) => boolean = Number.isFinite,
): number {
  const raw = stringOption(args, key);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!check(v)) throw new UsageError(`--${key}: invalid value "${raw}"`);
  return v;
}

/** The required `-o/--output` path. */
export function requireOutput(args: ParsedArgs): string {
  const out = stringOption(args, 'output');
  if (!out) throw new UsageError('missing -o/--output');
  return out;
}
