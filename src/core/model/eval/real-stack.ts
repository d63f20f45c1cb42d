/**
 * Loading a real exposure bracket from a folder: its image frames, their exposure times (a
 * shutter_times.txt or EXIF), the reference frame and the frames at the wanted EV offsets.
 */
import { access, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { resolveExposureTimes } from '../../exif/exposure.js';
import { validateFrames } from '../../hdr/bracket.js';
import type { LdrImage } from '../../image/image.js';
import { readImage } from '../../io/index.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import {
  DEFAULT_OFFSETS,
  DEFAULT_OFFSET_TOLERANCE,
  matchOffsets,
  pickReference,
  type OffsetMatch,
} from './offsets.js';

/** File extensions taken as bracket frames (case-insensitive). */
export const FRAME_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.tif', '.tiff'];

/** Name of the exposure-time file looked for in a bracket folder. */
export const SHUTTER_TIMES_FILE = 'shutter_times.txt';

/** Options of {@link loadRealStack}. */
export interface RealStackOptions extends JobOptions {
  /** Reference frame's file name (or path); default: the median exposure. */
  readonly reference?: string;
  /** Wanted offsets in stops; default ±1, ±2, ±3. */
  readonly offsets?: readonly number[];
  /** Largest |log2(t/t_ref) − offset| accepted, stops; default 0.1. */
  readonly tolerance?: number;
  /** Explicit exposure times in seconds, one per frame in file-name order. */
  readonly times?: readonly number[];
  /**
   * A shutter-times file (one time per frame, file-name order); default: the folder's
   * shutter_times.txt when present, else each frame's EXIF ExposureTime.
   */
  readonly timesFile?: string;
}

/** A real bracket loaded from a folder. */
export interface RealStack {
  readonly dir: string;
  /** Frame paths, in natural file-name order. */
  readonly files: readonly string[];
  /** Exposure time per frame, seconds. */
  readonly times: readonly number[];
  /** The frames, encoded values in [0, 1], all the same size. */
  readonly frames: readonly LdrImage[];
  /** Index of the reference frame. */
  readonly referenceIndex: number;
  /** Frames found for the wanted offsets, ascending by offset. */
  readonly matches: readonly OffsetMatch[];
  /** Wanted offsets without a frame. */
  readonly missing: readonly number[];
}

/**
 * The image frames of a bracket folder: files with a png/jpg/jpeg/tif/tiff extension (any case,
 * hidden files skipped), sorted by name with numbers compared numerically.
 * @throws InvalidInputError when the folder cannot be listed
 */
export async function listBracketFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new InvalidInputError(
      `${dir}: cannot list the bracket folder: ${(err as Error).message}`,
    );
  }
  return names
    .filter((n) => !n.startsWith('.') && FRAME_EXTENSIONS.includes(extname(n).toLowerCase()))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => join(dir, n));
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads LDR frames.
 * @throws ImageReadError for an unreadable file; InvalidInputError for an HDR file
 */
export async function readLdrFrames(
  files: readonly string[],
  options: JobOptions = {},
): Promise<LdrImage[]> {
  const frames: LdrImage[] = [];
  for (let i = 0; i < files.length; i++) {
    throwIfAborted(options.signal);
    const img = await readImage(files[i]);
    if (img.kind !== 'ldr') {
      throw new InvalidInputError(`${files[i]}: is an HDR image; a bracket is made of LDR frames`);
    }
    frames.push(img);
    options.onProgress?.({ fraction: (i + 1) / files.length, message: 'Reading frames' });
  }
  return frames;
}

/**
 * Loads a bracket folder: frames (see {@link listBracketFiles}), exposure times (explicit,
 * a times file, the folder's shutter_times.txt, else EXIF), the reference (given, else median
 * exposure) and, per wanted offset, the frame within `tolerance` stops of it.
 * @param dir - folder holding the frames
 * @returns the stack; offsets without a frame are listed in `missing`
 * @throws InvalidInputError for fewer than 2 frames, times that do not fit the frames, an
 *   unknown reference or frames of different sizes; ImageReadError for unreadable frames
 */
export async function loadRealStack(
  dir: string,
  options: RealStackOptions = {},
): Promise<RealStack> {
  const files = await listBracketFiles(dir);
  if (files.length < 2) {
    throw new InvalidInputError(
      `${dir}: a bracket needs at least 2 image frames (${FRAME_EXTENSIONS.join(', ')}), found ${files.length}`,
    );
  }
  let timesFile = options.timesFile;
  if (options.times === undefined && timesFile === undefined) {
    const candidate = join(dir, SHUTTER_TIMES_FILE);
    if (await exists(candidate)) timesFile = candidate;
  }
  const times = await resolveExposureTimes(files, { times: options.times, timesFile });
  const referenceIndex = pickReference(files, times, options.reference);
  const frames = await readLdrFrames(files, options);
  validateFrames(
    frames,
    2,
    files.map((f) => basename(f)),
  );
  const { matches, missing } = matchOffsets(
    times,
    referenceIndex,
    options.offsets ?? DEFAULT_OFFSETS,
    options.tolerance ?? DEFAULT_OFFSET_TOLERANCE,
  );
  return { dir, files, times, frames, referenceIndex, matches, missing };
}
