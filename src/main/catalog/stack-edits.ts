/**
 * The user's edits of bracket stacks: split, merge, remove a frame, add photos. Each runs in one
 * IMMEDIATE transaction (a failure leaves the catalog as it was). A stack an edit leaves is marked
 * `user_edited`; a photo an edit leaves on its own is marked `stack_detached`, so detection on a
 * later import never stacks it again. A stack left with fewer than 2 frames is deleted; its
 * recipes go with it (ON DELETE CASCADE), as with {@link deleteStack}. A stack that survives an
 * edit keeps its id, label and recipes.
 */
import type { Database } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import { checkStackable, FrameReader, orderFrames, type Frame } from './stack-frames.js';

/** What an edit left: the stacks (ids) and single photos (ids) it produced, in order. */
export interface StackEditResult {
  readonly stacks: readonly number[];
  readonly singles: readonly number[];
}

/** Statements and steps shared by the edits (valid inside one transaction). */
class Editor {
  readonly frames: FrameReader;

  constructor(
    private readonly db: Database,
    private readonly now: number,
  ) {
    this.frames = new FrameReader(db);
  }

  /** Replaces a stack's members with `frames` (positions 0…n−1) and marks it user-edited. */
  setMembers(stackId: number, frames: readonly Frame[]): void {
    this.db.prepare('DELETE FROM stack_members WHERE stack_id = ?').run(stackId);
    const insert = this.db.prepare(
      'INSERT INTO stack_members (stack_id, photo_id, position, exposure_ev) VALUES (?, ?, ?, ?)',
    );
    frames.forEach((f, pos) => insert.run(stackId, f.id, pos, f.ev));
    this.db.prepare('UPDATE stacks SET user_edited = 1 WHERE id = ?').run(stackId);
    const attach = this.db.prepare('UPDATE photos SET stack_detached = 0 WHERE id = ?');
    for (const f of frames) attach.run(f.id);
  }

  /** A new, empty user-edited stack's id. */
  newStack(): number {
    const info = this.db
      .prepare('INSERT INTO stacks (label, created_at, user_edited) VALUES (NULL, ?, 1)')
      .run(this.now);
    return Number(info.lastInsertRowid);
  }

  /** Deletes a stack (members and recipes cascade; photos stay). */
  dissolve(stackId: number): void {
    this.db.prepare('DELETE FROM stacks WHERE id = ?').run(stackId);
  }

  /** Marks photos as taken out of a stack by the user. */
  detach(ids: readonly number[]): void {
    const st = this.db.prepare('UPDATE photos SET stack_detached = 1 WHERE id = ?');
    for (const id of ids) st.run(id);
  }

  /** The stack of a photo and its frames. @throws InvalidInputError when it is in none */
  stackOf(photoId: number): { photo: Frame; stackId: number; members: Frame[] } {
    const photo = this.frames.photo(photoId);
    if (photo.stackId === null) {
      throw new InvalidInputError(`${photo.name} (photo ${photoId}) is not in a bracket stack`);
    }
    return { photo, stackId: photo.stackId, members: this.frames.stack(photo.stackId) };
  }

  /**
   * Keeps `frames` as stack `stackId` when ≥ 2, else dissolves it.
   * @returns the stack's id, or null when dissolved
   */
  keepOrDissolve(stackId: number, frames: readonly Frame[]): number | null {
    if (frames.length >= 2) {
      this.setMembers(stackId, frames);
      return stackId;
    }
    this.dissolve(stackId);
    this.detach(frames.map((f) => f.id));
    return null;
  }
}

function edit<T>(db: Database, now: number, fn: (e: Editor) => T): T {
  return db.transaction(() => fn(new Editor(db, now))).immediate();
}

/**
 * Splits a stack before one of its frames: the frames from `photoId` on become a stack of their
 * own. A side left with one frame becomes a single photo. The original stack (id, label,
 * recipes) keeps the frames before the split when they are ≥ 2, else the frames after it; when
 * both sides are single frames it is deleted with its recipes.
 * @param now - creation time of a new stack, ms
 * @throws InvalidInputError naming the photo when it is unknown, in no stack, or the first frame
 */
export function splitStack(db: Database, photoId: number, now = Date.now()): StackEditResult {
  return edit(db, now, (e) => {
    const { photo, stackId, members } = e.stackOf(photoId);
    const k = members.findIndex((m) => m.id === photoId);
    if (k <= 0) {
      throw new InvalidInputError(
        `${photo.name} is the first frame of stack ${stackId}: there is nothing before it to split off`,
      );
    }
    const front = members.slice(0, k);
    const back = members.slice(k);
    const stacks: number[] = [];
    const singles: number[] = [];
    const keepFront = front.length >= 2;
    const kept = e.keepOrDissolve(stackId, keepFront ? front : back);
    // Members of the kept side are set; the other side is now in no stack (members were replaced).
    const other = keepFront ? back : front;
    let otherStack: number | null = null;
    if (other.length >= 2) {
      otherStack = e.newStack();
      e.setMembers(otherStack, other);
    } else {
      e.detach(other.map((f) => f.id));
    }
    const frontStack = keepFront ? kept : otherStack;
    const backStack = keepFront ? otherStack : kept;
    if (frontStack !== null) stacks.push(frontStack);
    else singles.push(front[0].id);
    if (backStack !== null) stacks.push(backStack);
    else singles.push(...back.map((f) => f.id));
    return { stacks, singles };
  });
}

/**
 * Merges stacks and/or single photos into one stack, ordered by exposure then capture time (see
 * stack-frames.ts orderFrames). An id of a stacked photo stands for its whole stack (e.g. a tile
 * id). The first stack named keeps its id, label and recipes; the other stacks are deleted with
 * their recipes. Without any stack, a new one is created.
 * @throws InvalidInputError naming the photos when an id is unknown, fewer than two tiles are
 *   given, or the frames do not share camera make/model and pixel size
 */
export function mergeStacks(
  db: Database,
  photoIds: readonly number[],
  now = Date.now(),
): StackEditResult {
  return edit(db, now, (e) => {
    const frames: Frame[] = [];
    const seen = new Set<number>();
    const stacks: number[] = [];
    let tiles = 0;
    for (const id of photoIds) {
      if (seen.has(id)) continue;
      const f = e.frames.photo(id);
      if (f.stackId !== null) {
        if (stacks.includes(f.stackId)) continue;
        stacks.push(f.stackId);
        for (const m of e.frames.stack(f.stackId)) {
          seen.add(m.id);
          frames.push(m);
        }
      } else {
        seen.add(id);
        frames.push(f);
      }
      tiles++;
    }
    if (tiles < 2) {
      const what =
        stacks.length === 1 ? `stack ${stacks[0]}` : (frames[0]?.name ?? 'no photo given');
      throw new InvalidInputError(
        `nothing to merge: only ${what}; choose at least two photos or stacks`,
      );
    }
    checkStackable(frames);
    const target = stacks[0] ?? e.newStack();
    for (const s of stacks.slice(1)) e.dissolve(s);
    e.setMembers(target, orderFrames(frames));
    return { stacks: [target], singles: [] };
  });
}

/**
 * Takes one frame out of its stack (it becomes a single photo that detection leaves alone). A
 * stack left with one frame is deleted with its recipes.
 * @throws InvalidInputError naming the photo when it is unknown or in no stack
 */
export function removeFromStack(db: Database, photoId: number, now = Date.now()): StackEditResult {
  return edit(db, now, (e) => {
    const { stackId, members } = e.stackOf(photoId);
    const rest = members.filter((m) => m.id !== photoId);
    e.detach([photoId]);
    const kept = e.keepOrDissolve(stackId, rest);
    return kept !== null
      ? { stacks: [kept], singles: [photoId] }
      : { stacks: [], singles: [...rest.map((f) => f.id), photoId] };
  });
}

/**
 * Adds single photos to a stack (same checks and order as {@link mergeStacks}); the stack keeps
 * its id, label and recipes.
 * @throws InvalidInputError naming the photo when the stack or a photo is unknown, or a photo is
 *   already in a stack; naming the photos when cameras or sizes differ
 */
export function addToStack(
  db: Database,
  stackId: number,
  photoIds: readonly number[],
  now = Date.now(),
): StackEditResult {
  return edit(db, now, (e) => {
    const members = e.frames.stack(stackId);
    if (members.length === 0) throw new InvalidInputError(`stack ${stackId} is not in the catalog`);
    const added: Frame[] = [];
    for (const id of new Set(photoIds)) {
      const f = e.frames.photo(id);
      if (f.stackId === stackId) {
        throw new InvalidInputError(`${f.name} (photo ${id}) is already in stack ${stackId}`);
      }
      if (f.stackId !== null) {
        throw new InvalidInputError(
          `${f.name} (photo ${id}) belongs to stack ${f.stackId}; merge the stacks instead`,
        );
      }
      added.push(f);
    }
    if (added.length === 0) throw new InvalidInputError('add to stack: no photo given');
    const frames = [...members, ...added];
    checkStackable(frames);
    e.setMembers(stackId, orderFrames(frames));
    return { stacks: [stackId], singles: [] };
  });
}

/**
 * Which of `ids` the user took out of a stack (detection skips them).
 * @returns the detached ids among `ids`
 */
export function detachedPhotos(db: Database, ids: readonly number[]): Set<number> {
  const st = db.prepare<[number], { id: number }>(
    'SELECT id FROM photos WHERE id = ? AND stack_detached = 1',
  );
  const out = new Set<number>();
  for (const id of ids) if (st.get(id)) out.add(id);
  return out;
}
