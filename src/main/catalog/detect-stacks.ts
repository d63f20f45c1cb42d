/**
 * Bracket stack detection: which photos are one scene shot at several exposures. Pure (no I/O):
 * the caller supplies what the catalog knows of each photo, plus a mean thumbnail level for
 * frames without exposure EXIF.
 *
 * Frames can be one stack when they share folder, pixel size and camera, and follow each other:
 * - with capture times: each frame starts at most {@link STACK_RULES}.maxGapMs after the previous
 *   one ended (its shutter time added), and their exposures (EV from the EXIF) differ by at least
 *   minEvStep without repeating an exposure already in the stack;
 * - without capture times (e.g. PNG frames): their file names are consecutive numbers, and the
 *   mean brightness changes in one direction (steps under 1 level count as flat) over at least
 *   minLevelRange levels across at least minLevelFrames frames.
 */
import path from 'node:path';

/** What detection looks at for one photo. */
export interface StackCandidate {
  readonly id: number;
  /** Absolute path of the original. */
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly cameraMake: string | null;
  readonly cameraModel: string | null;
  /** EXIF capture time, ms (null when not recorded). */
  readonly captureTimeMs: number | null;
  /** Shutter time, seconds (null when not recorded). */
  readonly exposureTime: number | null;
  /** Exposure in EV (see stacks.ts exposureEv), null when unknown. */
  readonly ev: number | null;
  /** Mean grey level of the thumbnail, 0…255 (null when not measured). */
  readonly meanLevel: number | null;
}

/** Thresholds of detection. */
export const STACK_RULES = {
  /** Largest pause between the end of one frame and the start of the next, ms. */
  maxGapMs: 2000,
  /** Smallest exposure step between neighbouring frames, EV. */
  minEvStep: 0.3,
  /** EVs closer than this count as the same exposure. */
  sameEv: 0.1,
  /** Brightness range a stack without exposure EXIF must span, levels of 255. */
  minLevelRange: 40,
  /** Frames a stack without exposure EXIF needs. */
  minLevelFrames: 3,
} as const;

interface Numbered {
  readonly stem: string;
  readonly n: number;
  readonly tail: string;
}

function numbered(file: string): Numbered | null {
  const m = /^(.*?)(\d+)(\D*)$/.exec(path.basename(file));
  return m ? { stem: m[1], n: Number(m[2]), tail: m[3].toLowerCase() } : null;
}

function groupKey(c: StackCandidate): string {
  return JSON.stringify([path.dirname(c.path), c.width, c.height, c.cameraMake, c.cameraModel]);
}

/** A run being built: frames and how they were linked. */
interface Run {
  readonly frames: StackCandidate[];
  byLevel: boolean;
  /** +1 brighter, −1 darker, 0 not yet known (level runs). */
  dir: number;
}

function evLink(run: Run, next: StackCandidate): boolean {
  const prev = run.frames[run.frames.length - 1];
  if (prev.ev === null || next.ev === null || run.byLevel) return false;
  if (Math.abs(next.ev - prev.ev) < STACK_RULES.minEvStep) return false;
  const nextEv = next.ev;
  return run.frames.every((f) => f.ev !== null && Math.abs(f.ev - nextEv) >= STACK_RULES.sameEv);
}

function levelLink(run: Run, next: StackCandidate): boolean {
  const prev = run.frames[run.frames.length - 1];
  if (prev.meanLevel === null || next.meanLevel === null) return false;
  if (run.frames.length > 1 && !run.byLevel) return false;
  const step = next.meanLevel - prev.meanLevel;
  const dir = Math.abs(step) < 1 ? 0 : Math.sign(step); // 0: flat (clipped ends of a bracket)
  if (dir !== 0 && run.dir !== 0 && dir !== run.dir) return false;
  if (dir !== 0) run.dir = dir;
  run.byLevel = true;
  return true;
}

function inSequence(prev: StackCandidate, next: StackCandidate, timed: boolean): boolean {
  if (timed) {
    if (prev.captureTimeMs === null || next.captureTimeMs === null) return false;
    const gap = next.captureTimeMs - prev.captureTimeMs - (prev.exposureTime ?? 0) * 1000;
    return next.captureTimeMs >= prev.captureTimeMs && gap <= STACK_RULES.maxGapMs;
  }
  const a = numbered(prev.path);
  const b = numbered(next.path);
  return !!a && !!b && a.stem === b.stem && a.tail === b.tail && b.n === a.n + 1;
}

function accept(run: Run): boolean {
  if (run.frames.length < 2) return false;
  if (!run.byLevel) return true;
  const levels = run.frames.map((f) => f.meanLevel ?? 0);
  const range = Math.max(...levels) - Math.min(...levels);
  return run.frames.length >= STACK_RULES.minLevelFrames && range >= STACK_RULES.minLevelRange;
}

/** Ids of an accepted run, darkest first when the order is known from brightness. */
function idsOf(run: Run): number[] {
  const ids = run.frames.map((x) => x.id);
  return run.byLevel && run.dir < 0 ? ids.reverse() : ids;
}

function runsOf(frames: StackCandidate[], timed: boolean): number[][] {
  const out: number[][] = [];
  let run: Run | null = null;
  for (const f of frames) {
    if (run) {
      const prev = run.frames[run.frames.length - 1];
      if (inSequence(prev, f, timed) && (evLink(run, f) || levelLink(run, f))) {
        run.frames.push(f);
        continue;
      }
      if (accept(run)) out.push(idsOf(run));
    }
    run = { frames: [f], byLevel: false, dir: 0 };
  }
  if (run && accept(run)) out.push(idsOf(run));
  return out;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Finds bracket stacks among photos (see the module comment for the rules).
 * @param candidates - photos not in a stack yet, readable, any order
 * @returns stacks as photo ids (each ≥ 2; a photo is in at most one): in shooting order, or
 *   darkest first for stacks found by brightness
 */
export function detectStacks(candidates: readonly StackCandidate[]): number[][] {
  const groups = new Map<string, StackCandidate[]>();
  for (const c of candidates) {
    const key = groupKey(c);
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  const stacks: number[][] = [];
  for (const g of groups.values()) {
    const byName = (a: StackCandidate, b: StackCandidate): number =>
      collator.compare(path.basename(a.path), path.basename(b.path));
    const timed = g
      .filter((c) => c.captureTimeMs !== null)
      .sort((a, b) => (a.captureTimeMs ?? 0) - (b.captureTimeMs ?? 0) || byName(a, b));
    const untimed = g.filter((c) => c.captureTimeMs === null).sort(byName);
    stacks.push(...runsOf(timed, true), ...runsOf(untimed, false));
  }
  return stacks;
}
