/**
 * What the stack edits (stack-edits.ts) need to know of a frame: its camera, size, exposure and
 * stack; whether frames may share a stack (same camera make/model and pixel size, all readable),
 * and the order of a merged stack (exposure, then capture time).
 */
import type { Database, Statement } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import { exposureEv } from './stacks.js';
import type { PhotoExif } from './types.js';

/** One photo as a (possible) stack frame. */
export interface Frame {
  readonly id: number;
  /** File name, for messages. */
  readonly name: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly cameraMake: string | null;
  readonly cameraModel: string | null;
  readonly captureTimeMs: number | null;
  /** Exposure in EV from the EXIF (see stacks.ts exposureEv), null when unknown. */
  readonly ev: number | null;
  /** The stack it is in, or null. */
  readonly stackId: number | null;
}

interface FrameRow {
  id: number;
  name: string;
  width: number | null;
  height: number | null;
  camera_make: string | null;
  camera_model: string | null;
  capture_time_ms: number | null;
  exif_json: string;
  stack_id: number | null;
}

const COLUMNS = `p.id, p.name, p.width, p.height, p.camera_make, p.camera_model,
  p.capture_time_ms, p.exif_json, m.stack_id`;

function toFrame(r: FrameRow): Frame {
  let exif: PhotoExif = {};
  try {
    exif = JSON.parse(r.exif_json) as PhotoExif;
  } catch {
    // a damaged EXIF record counts as no EXIF
  }
  return {
    id: r.id,
    name: r.name,
    width: r.width,
    height: r.height,
    cameraMake: r.camera_make,
    cameraModel: r.camera_model,
    captureTimeMs: r.capture_time_ms,
    ev: exposureEv(exif),
    stackId: r.stack_id,
  };
}

/** Prepared reads of frames (use inside the edit's transaction). */
export class FrameReader {
  private readonly one: Statement<[number], FrameRow>;
  private readonly members: Statement<[number], FrameRow>;

  constructor(db: Database) {
    this.one = db.prepare(
      `SELECT ${COLUMNS} FROM photos p LEFT JOIN stack_members m ON m.photo_id = p.id
       WHERE p.id = ?`,
    );
    this.members = db.prepare(
      `SELECT ${COLUMNS} FROM stack_members m JOIN photos p ON p.id = m.photo_id
       WHERE m.stack_id = ? ORDER BY m.position`,
    );
  }

  /**
   * One photo.
   * @throws InvalidInputError when the id is not in the catalog
   */
  photo(id: number): Frame {
    const r = this.one.get(id);
    if (!r) throw new InvalidInputError(`photo ${id} is not in the catalog`);
    return toFrame(r);
  }

  /** A stack's frames, darkest first (empty when there is no such stack). */
  stack(stackId: number): Frame[] {
    return this.members.all(stackId).map(toFrame);
  }
}

/** "Canon EOS R5" (make left out when the model repeats it), or "no camera EXIF". */
function cameraOf(f: Frame): string {
  const make = f.cameraMake?.trim() ?? '';
  const model = f.cameraModel?.trim() ?? '';
  if (!make && !model) return 'no camera EXIF';
  if (!make) return model;
  if (!model) return make;
  return model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`;
}

/** "a.jpg, b.jpg, c.jpg and 4 more". */
function names(frames: readonly Frame[], max = 3): string {
  const shown = frames.slice(0, max).map((f) => f.name);
  const rest = frames.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** "Canon EOS R5: a.jpg, b.jpg; X-T4: c.jpg" for frames grouped by `key`. */
function groups(frames: readonly Frame[], key: (f: Frame) => string): string[] {
  const by = new Map<string, Frame[]>();
  for (const f of frames) {
    const k = key(f);
    const g = by.get(k);
    if (g) g.push(f);
    else by.set(k, [f]);
  }
  return [...by].map(([k, g]) => `${k}: ${names(g)}`);
}

/**
 * Checks that frames may form one stack: every one readable, one camera (make and model), one
 * pixel size.
 * @throws InvalidInputError naming the photos and what differs
 */
export function checkStackable(frames: readonly Frame[]): void {
  const unreadable = frames.filter((f) => f.width === null || f.height === null);
  if (unreadable.length > 0) {
    throw new InvalidInputError(
      `cannot stack ${names(unreadable)}: unreadable (no pixel size recorded)`,
    );
  }
  const problems: string[] = [];
  const cameras = groups(frames, cameraOf);
  if (cameras.length > 1) problems.push(`cameras differ (${cameras.join('; ')})`);
  const sizes = groups(frames, (f) => `${f.width}×${f.height}`);
  if (sizes.length > 1) problems.push(`pixel sizes differ (${sizes.join('; ')})`);
  if (problems.length > 0) {
    throw new InvalidInputError(`cannot put these photos in one stack: ${problems.join('; ')}`);
  }
}

/**
 * Frames in the order of a merged stack: exposure ascending (darkest first; unknown last), then
 * capture time (unknown last), then the order given (keeps the order of frames without EXIF).
 */
export function orderFrames(frames: readonly Frame[]): Frame[] {
  const nullsLast = (a: number | null, b: number | null): number =>
    a === null || b === null ? (a === null ? 1 : 0) - (b === null ? 1 : 0) : a - b;
  return frames
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        nullsLast(a.f.ev, b.f.ev) || nullsLast(a.f.captureTimeMs, b.f.captureTimeMs) || a.i - b.i,
    )
    .map((x) => x.f);
}
