/**
 * Bracket-stack detection from EXIF: frames of one stack come from the same camera body and
 * lens, have the same pixel dimensions, were captured one after the other (each within `maxGapMs`
 * of the previous one, sub-second aware) and differ in exposure. Nothing is guessed: frames
 * without a usable exposure (no ExposureTime and no ExposureBiasValue) or without a capture time
 * are reported and excluded.
 *
 * Within one camera/lens/size group, frames are ordered by capture time (then file name) and cut
 * into runs at time gaps; inside a run a new stack starts when an exposure repeats (a second
 * auto-bracket fired right after the first). Runs of one frame are single photos, not stacks.
 */

/** What detection needs to know about one frame. */
export interface StackCandidate {
  /** file path (used in reports and as the tie-breaker of the ordering) */
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly make?: string;
  readonly model?: string;
  readonly lensModel?: string;
  /** capture time in ms (comparable between frames of one camera) */
  readonly captureTimeMs?: number;
  /** shutter time in seconds */
  readonly exposureTime?: number;
  readonly fNumber?: number;
  readonly iso?: number;
  /** exposure compensation in EV */
  readonly exposureBias?: number;
}

/** Detection settings. */
export interface DetectStacksOptions {
  /** largest time between two consecutive frames of a stack, ms (default 2000) */
  readonly maxGapMs?: number;
  /** two exposures closer than this (EV) count as the same exposure (default 1/6) */
  readonly sameExposureEv?: number;
}

/** One frame of a detected stack. */
export interface StackFrame {
  readonly file: string;
  /** exposure relative to the stack's darkest frame, EV (0 = darkest, more = brighter) */
  readonly relativeEv: number;
  /** exposure ratio to the darkest frame, 2^relativeEv (from shutter, aperture and ISO) */
  readonly relativeExposure: number;
  readonly captureTimeMs: number;
}

/** A detected stack, frames darkest first. {@link detectStacks} lists stacks by first capture. */
export interface DetectedStack {
  /** "Make Model" (+ " · Lens" when recorded) */
  readonly camera: string;
  readonly width: number;
  readonly height: number;
  /** where the exposures come from: shutter/aperture/ISO, or the exposure bias alone */
  readonly basis: 'exposure-settings' | 'exposure-bias';
  readonly frames: readonly StackFrame[];
}

/** A frame left out, and why. */
export interface ExcludedFrame {
  readonly file: string;
  readonly reason: string;
}

/** Result of {@link detectStacks}. */
export interface StackDetection {
  readonly stacks: readonly DetectedStack[];
  /** frames with usable data that belong to no stack (single shots) */
  readonly singles: readonly string[];
  readonly excluded: readonly ExcludedFrame[];
}

interface Prepared {
  readonly c: StackCandidate;
  readonly ev: number;
  readonly basis: DetectedStack['basis'];
  readonly time: number;
}

/**
 * Exposure of a frame in EV (more = brighter): log2(t · ISO/100 / N²) when the shutter time is
 * recorded (a missing ISO or f-number counts as unchanged), else the exposure bias.
 * @returns null when neither is recorded
 */
export function frameExposureEv(
  c: StackCandidate,
): { ev: number; basis: DetectedStack['basis'] } | null {
  const t = c.exposureTime;
  if (t !== undefined && Number.isFinite(t) && t > 0) {
    let ev = Math.log2(t);
    if (c.iso !== undefined && c.iso > 0) ev += Math.log2(c.iso / 100);
    if (c.fNumber !== undefined && c.fNumber > 0) ev -= 2 * Math.log2(c.fNumber);
    return { ev, basis: 'exposure-settings' };
  }
  const b = c.exposureBias;
  if (b !== undefined && Number.isFinite(b)) return { ev: b, basis: 'exposure-bias' };
  return null;
}

function cameraName(c: StackCandidate): string {
  const body = [c.make, c.model].filter((s) => s && s.length > 0).join(' ') || 'unknown camera';
  return c.lensModel ? `${body} · ${c.lensModel}` : body;
}

function groupKey(c: StackCandidate, basis: string): string {
  return JSON.stringify([c.make ?? '', c.model ?? '', c.lensModel ?? '', c.width, c.height, basis]);
}

/**
 * Groups frames into bracket stacks.
 * @param candidates - frames in any order (e.g. several folders, interleaved cameras)
 */
export function detectStacks(
  candidates: readonly StackCandidate[],
  options: DetectStacksOptions = {},
): StackDetection {
  const maxGap = options.maxGapMs ?? 2000;
  const same = options.sameExposureEv ?? 1 / 6;
  const excluded: ExcludedFrame[] = [];
  const groups = new Map<string, Prepared[]>();
  for (const c of candidates) {
    const exposure = frameExposureEv(c);
    if (!exposure) {
      excluded.push({ file: c.file, reason: 'no ExposureTime and no ExposureBiasValue in EXIF' });
      continue;
    }
    if (c.captureTimeMs === undefined || !Number.isFinite(c.captureTimeMs)) {
      excluded.push({ file: c.file, reason: 'no capture time (DateTimeOriginal) in EXIF' });
      continue;
    }
    const key = groupKey(c, exposure.basis);
    const list = groups.get(key) ?? [];
    list.push({ c, ev: exposure.ev, basis: exposure.basis, time: c.captureTimeMs });
    groups.set(key, list);
  }
  const stacks: DetectedStack[] = [];
  const singles: string[] = [];
  for (const list of groups.values()) {
    list.sort(
      (a, b) => a.time - b.time || (a.c.file < b.c.file ? -1 : a.c.file > b.c.file ? 1 : 0),
    );
    let run: Prepared[] = [];
    const flush = () => {
      if (run.length >= 2) stacks.push(toStack(run));
      else if (run.length === 1) singles.push(run[0].c.file);
      run = [];
    };
    for (const p of list) {
      const prev = run[run.length - 1];
      const gap = prev ? p.time - prev.time : 0;
      const repeats = run.some((q) => Math.abs(q.ev - p.ev) < same);
      if (prev && (gap > maxGap || repeats)) flush();
      run.push(p);
    }
    flush();
  }
  const start = (st: DetectedStack) => Math.min(...st.frames.map((f) => f.captureTimeMs));
  stacks.sort((a, b) => start(a) - start(b));
  return { stacks, singles, excluded };
}

function toStack(run: readonly Prepared[]): DetectedStack {
  const sorted = [...run].sort((a, b) => a.ev - b.ev);
  const base = sorted[0].ev;
  const first = sorted[0].c;
  return {
    camera: cameraName(first),
    width: first.width,
    height: first.height,
    basis: sorted[0].basis,
    frames: sorted.map((p) => ({
      file: p.c.file,
      relativeEv: p.ev - base,
      relativeExposure: 2 ** (p.ev - base),
      captureTimeMs: p.time,
    })),
  };
}
