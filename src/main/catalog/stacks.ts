/**
 * Bracket stacks: groups of photos of one scene at different exposures. This is the storage:
 * add (members ordered by exposure), list, delete; the user's edits (split, merge, remove, add)
 * are in stack-edits.ts. A photo belongs to at most one stack; deleting a stack never deletes
 * its photos.
 */
import type { Database } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import type { PhotoExif } from './types.js';

/** One frame of a stack. */
export interface StackMember {
  readonly photoId: number;
  /** 0 = darkest frame. */
  readonly position: number;
  /**
   * Exposure in EV, log2(t · ISO/100 / N²) from the EXIF (t seconds, N f-number; a missing ISO
   * or N counts as equal across frames), else the exposure bias; null when neither is recorded.
   */
  readonly exposureEv: number | null;
}

/** A bracket stack with its members, darkest first. */
export interface Stack {
  readonly id: number;
  readonly label: string | null;
  readonly createdAt: number;
  /** True once the user split, merged or changed it (detection leaves such stacks alone). */
  readonly userEdited: boolean;
  readonly members: readonly StackMember[];
}

/**
 * Exposure of a frame in EV from its EXIF (see {@link StackMember.exposureEv}).
 * @returns EV (more = brighter), or null when unknown
 */
export function exposureEv(exif: PhotoExif): number | null {
  const { exposureTime: t, iso, fNumber: n, exposureBias } = exif;
  if (t !== undefined && t > 0) {
    let ev = Math.log2(t);
    if (iso !== undefined && iso > 0) ev += Math.log2(iso / 100);
    if (n !== undefined && n > 0) ev -= 2 * Math.log2(n);
    return ev;
  }
  return exposureBias !== undefined && Number.isFinite(exposureBias) ? exposureBias : null;
}

interface MemberRow {
  stack_id: number;
  label: string | null;
  created_at: number;
  user_edited: number;
  photo_id: number | null;
  position: number | null;
  exposure_ev: number | null;
}

function group(rows: MemberRow[]): Stack[] {
  const out = new Map<number, { s: Stack; m: StackMember[] }>();
  for (const r of rows) {
    let e = out.get(r.stack_id);
    if (!e) {
      const m: StackMember[] = [];
      const s: Stack = {
        id: r.stack_id,
        label: r.label,
        createdAt: r.created_at,
        userEdited: r.user_edited === 1,
        members: m,
      };
      e = { s, m };
      out.set(r.stack_id, e);
    }
    if (r.photo_id !== null && r.position !== null) {
      e.m.push({ photoId: r.photo_id, position: r.position, exposureEv: r.exposure_ev });
    }
  }
  return [...out.values()].map((e) => e.s);
}

const SELECT = `SELECT s.id AS stack_id, s.label, s.created_at, s.user_edited, m.photo_id, m.position,
  m.exposure_ev FROM stacks s LEFT JOIN stack_members m ON m.stack_id = s.id`;

/**
 * Creates a stack of ≥ 2 photos in one transaction, members ordered by exposure (darkest
 * first; frames of unknown exposure last, in the order given).
 * @param options - `detected`: refuse photos the user took out of a stack (detection's call;
 *   checked inside the transaction, so a concurrent edit cannot be undone)
 * @throws InvalidInputError naming the photo when an id is unknown, repeated, or already in a
 *   stack, or (with `detected`) was taken out of a stack by the user
 */
export function addStack(
  db: Database,
  photoIds: readonly number[],
  options: { label?: string; now?: number; detected?: boolean } = {},
): Stack {
  if (photoIds.length < 2) throw new InvalidInputError('a stack needs at least 2 photos');
  if (new Set(photoIds).size !== photoIds.length) {
    throw new InvalidInputError('a stack cannot hold the same photo twice');
  }
  const photo = db.prepare<
    [number],
    { exif_json: string; stack_id: number | null; stack_detached: number }
  >(
    `SELECT p.exif_json, p.stack_detached, m.stack_id FROM photos p
     LEFT JOIN stack_members m ON m.photo_id = p.id WHERE p.id = ?`,
  );
  const insertStack = db.prepare('INSERT INTO stacks (label, created_at) VALUES (?, ?)');
  const insertMember = db.prepare(
    'INSERT INTO stack_members (stack_id, photo_id, position, exposure_ev) VALUES (?, ?, ?, ?)',
  );
  const id = db
    .transaction(() => {
      const frames = photoIds.map((pid, i) => {
        const row = photo.get(pid);
        if (!row) throw new InvalidInputError(`photo ${pid} is not in the catalog`);
        if (row.stack_id !== null) {
          throw new InvalidInputError(`photo ${pid} already belongs to stack ${row.stack_id}`);
        }
        if (options.detected && row.stack_detached === 1) {
          throw new InvalidInputError(`photo ${pid} was taken out of a stack by the user`);
        }
        return { pid, i, ev: exposureEv(JSON.parse(row.exif_json) as PhotoExif) };
      });
      frames.sort((a, b) => {
        if (a.ev === null || b.ev === null) {
          return (a.ev === null ? 1 : 0) - (b.ev === null ? 1 : 0) || a.i - b.i;
        }
        return a.ev - b.ev || a.i - b.i;
      });
      const sid = Number(
        insertStack.run(options.label ?? null, options.now ?? Date.now()).lastInsertRowid,
      );
      frames.forEach((f, pos) => insertMember.run(sid, f.pid, pos, f.ev));
      return sid;
    })
    .immediate();
  const stack = getStack(db, id);
  if (!stack) throw new Error(`stack ${id} vanished after insert`);
  return stack;
}

/** One stack with its members, or undefined. */
export function getStack(db: Database, id: number): Stack | undefined {
  const rows = db.prepare(`${SELECT} WHERE s.id = ? ORDER BY m.position`).all(id) as MemberRow[];
  return group(rows)[0];
}

/** Every stack, oldest first, members darkest first. */
export function listStacks(db: Database): Stack[] {
  const rows = db.prepare(`${SELECT} ORDER BY s.id, m.position`).all() as MemberRow[];
  return group(rows);
}

/**
 * Deletes a stack (its members' photos stay; its recipes go with it).
 * @returns false when there was no such stack
 */
export function deleteStack(db: Database, id: number): boolean {
  return db.prepare('DELETE FROM stacks WHERE id = ?').run(id).changes > 0;
}
