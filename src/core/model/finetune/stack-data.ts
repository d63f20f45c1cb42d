/**
 * The user's stacks for fine-tuning: found (a folder with shutter_times.txt is one stack; other
 * folders and files are grouped by EXIF with detectStacks, or a folder taken whole with its
 * EXIF exposure times), loaded, aligned to the reference frame with MTB, calibrated (Debevec,
 * the stack's own response) and given a ghost mask and the held-out region.
 */
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { calibrateDebevec, type DebevecResponse } from '../../camera/debevec-calibrate.js';
import { crop } from '../../image/crop.js';
import { InvalidInputError } from '../../errors.js';
import { readExposureInfo } from '../../exif/read-exif.js';
import { resolveExposureTimes } from '../../exif/exposure.js';
import { alignMtb } from '../../hdr/align-mtb.js';
import { validateFrames } from '../../hdr/bracket.js';
import type { LdrImage } from '../../image/image.js';
import type { Rect } from '../../image/tiles.js';
import { fsReason } from '../../io/limits.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import { readPhotoCamera } from '../../exif/photo-camera.js';
import { detectStacks } from '../../stacks/detect-stacks.js';
import { expandPhotoPaths, readStackCandidates } from '../../stacks/read-candidates.js';
import {
  DEFAULT_OFFSETS,
  DEFAULT_OFFSET_TOLERANCE,
  matchOffsets,
  pickReference,
  type OffsetMatch,
} from '../eval/offsets.js';
import { listBracketFiles, readLdrFrames, SHUTTER_TIMES_FILE } from '../eval/real-stack.js';
import { ghostMask } from './ghost.js';
import { heldOutRegion } from './holdout.js';

/** A stack found on disk, not loaded yet. */
export interface StackSource {
  /** label for reports: the folder name, or the first frame's name */
  readonly name: string;
  /** frame files, in bracket order */
  readonly files: readonly string[];
  /** exposure time (or relative exposure) per frame; only ratios matter */
  readonly times: readonly number[];
  /** where the times come from */
  readonly timesFrom: 'shutter_times.txt' | 'exif';
}

/** Stacks found in the given paths, and what was left out. */
export interface FoundStacks {
  readonly sources: readonly StackSource[];
  /** one line per file or folder left out, with the reason */
  readonly notes: readonly string[];
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
 * Finds stacks: a folder holding shutter_times.txt is one stack (frames in file-name order);
 * all other folders and files are grouped into stacks from their EXIF (camera, size, capture
 * time, exposure: detectStacks). A folder whose frames form no detected stack but all carry an
 * EXIF exposure time is taken as one stack.
 * @throws ImageReadError for a path that does not exist; InvalidInputError when no stack is found
 */
export async function findStacks(paths: readonly string[]): Promise<FoundStacks> {
  if (paths.length === 0) throw new InvalidInputError('no stack folders or files given');
  const sources: StackSource[] = [];
  const notes: string[] = [];
  const loose: string[] = [];
  const looseDirs: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      throw new InvalidInputError(`${p}: ${fsReason(err)}`);
    }
    if (st.isDirectory() && (await exists(path.join(p, SHUTTER_TIMES_FILE)))) {
      const files = await listBracketFiles(p);
      const times = await resolveExposureTimes(files, {
        timesFile: path.join(p, SHUTTER_TIMES_FILE),
      });
      sources.push({
        name: path.basename(path.resolve(p)),
        files,
        times,
        timesFrom: 'shutter_times.txt',
      });
    } else {
      if (st.isDirectory()) looseDirs.push(p);
      loose.push(p);
    }
  }
  if (loose.length > 0) {
    const files = await expandPhotoPaths(loose);
    const { candidates, unreadable } = await readStackCandidates(files);
    for (const u of unreadable) notes.push(`${u.file}: ${u.reason}`);
    const found = detectStacks(candidates);
    for (const s of found.stacks) {
      sources.push({
        name: `${path.basename(s.frames[0].file)} (${s.camera})`,
        files: s.frames.map((f) => f.file),
        times: s.frames.map((f) => f.relativeExposure),
        timesFrom: 'exif',
      });
    }
    if (found.stacks.length === 0) {
      for (const dir of looseDirs) {
        const dirFiles = await listBracketFiles(dir);
        try {
          const times = await resolveExposureTimes(dirFiles);
          sources.push({
            name: path.basename(path.resolve(dir)),
            files: dirFiles,
            times,
            timesFrom: 'exif',
          });
        } catch (err) {
          notes.push(`${dir}: not a stack (${(err as Error).message})`);
        }
      }
    } else {
      for (const e of found.excluded) notes.push(`${e.file}: ${e.reason}`);
      for (const f of found.singles) notes.push(`${f}: a single photo, not part of a stack`);
    }
  }
  if (sources.length === 0) {
    throw new InvalidInputError(
      `no exposure stacks found in ${paths.join(', ')}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    );
  }
  return { sources, notes };
}

/** A stack ready for fine-tuning. */
export interface FinetuneStack {
  readonly name: string;
  readonly files: readonly string[];
  readonly times: readonly number[];
  readonly timesFrom: StackSource['timesFrom'];
  /** frames aligned to the reference (MTB shifts applied) */
  readonly frames: readonly LdrImage[];
  readonly width: number;
  readonly height: number;
  /** index of the reference frame (median exposure, as `bracketeer eval`) */
  readonly referenceIndex: number;
  /** MTB shift [dx, dy] in pixels applied to each frame ([0, 0] for the reference) */
  readonly shifts: readonly (readonly [number, number])[];
  /** frames at the ±1/±2/±3 offsets of the reference, and the offsets without one */
  readonly matches: readonly OffsetMatch[];
  readonly missing: readonly number[];
  /** the stack's own Debevec response (residual included) */
  readonly response: DebevecResponse;
  /** 1 where some frame disagrees with the reference, width·height */
  readonly ghost: Uint8Array;
  /** share of ghost pixels in the training columns */
  readonly ghostFraction: number;
  /** the held-out region (never trained on) */
  readonly heldOut: Rect;
  /** training columns are [0, trainWidth) */
  readonly trainWidth: number;
  /** EXIF camera of the first frame, where recorded */
  readonly make?: string;
  readonly model?: string;
  /** picture style of the first frame, where recorded (exif/photo-camera.ts) */
  readonly style?: string;
}

/** Options of {@link prepareStack}. */
export interface PrepareOptions extends JobOptions {
  readonly holdoutFraction: number;
  readonly ghostSigma: number;
  /** largest MTB search (pyramid levels, default 6 = ±63 px) */
  readonly maxBits?: number;
}

async function cameraOf(file: string): Promise<{ make?: string; model?: string; style?: string }> {
  try {
    const [info, camera] = await Promise.all([readExposureInfo(file), readPhotoCamera(file)]);
    return { make: info.make, model: info.model, ...(camera.style ? { style: camera.style } : {}) };
  } catch {
    return {};
  }
}

/**
 * Loads a stack's frames, aligns them to the reference, calibrates its response on the training
 * columns of the aligned frames and computes the ghost mask and the hold-out.
 * @throws ImageReadError for unreadable frames; InvalidInputError for frames of different sizes
 *   or a calibration that fails
 */
export async function prepareStack(
  source: StackSource,
  options: PrepareOptions,
): Promise<FinetuneStack> {
  if (source.files.length < 2) {
    throw new InvalidInputError(`${source.name}: a stack needs at least 2 frames`);
  }
  const raw = await readLdrFrames(source.files, { signal: options.signal });
  validateFrames(
    raw,
    2,
    source.files.map((f) => path.basename(f)),
  );
  throwIfAborted(options.signal);
  const referenceIndex = pickReference(source.files, source.times);
  const aligned = alignMtb(raw, {
    reference: referenceIndex,
    maxBits: options.maxBits,
    signal: options.signal,
  });
  const frames = aligned.frames;
  const { width, height } = frames[0];
  const heldOut = heldOutRegion(width, height, options.holdoutFraction);
  // The camera profile is fitted on the training columns only: the held-out columns measure it.
  const training = frames.map((f) => crop(f, 0, 0, heldOut.x, height));
  const response = calibrateDebevec(training, source.times, {}, { signal: options.signal });
  const ghost = ghostMask(frames, source.times, response, referenceIndex, options.ghostSigma, {
    signal: options.signal,
  });
  let ghosts = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < heldOut.x; x++) ghosts += ghost[y * width + x];
  }
  const { matches, missing } = matchOffsets(
    source.times,
    referenceIndex,
    DEFAULT_OFFSETS,
    DEFAULT_OFFSET_TOLERANCE,
  );
  return {
    name: source.name,
    files: source.files,
    times: source.times,
    timesFrom: source.timesFrom,
    frames,
    width,
    height,
    referenceIndex,
    shifts: aligned.shifts,
    matches,
    missing,
    response,
    ghost,
    ghostFraction: ghosts / (heldOut.x * height),
    heldOut,
    trainWidth: heldOut.x,
    ...(await cameraOf(source.files[0])),
  };
}
