/**
 * The user's stack edits on a real SQLite catalog with real JPEGs (EXIF written by sharp):
 * split, merge, remove, add; refusal of mixed cameras and sizes; atomicity (a merge failing half
 * way leaves stacks, members and recipes as they were); re-import and rescan keep the edits.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { openCatalog, type Catalog } from '../../../src/main/catalog/index.js';
import { findStacks } from '../../../src/main/services/library/find-stacks.js';
import { tempLibrary, writeJpeg } from './fixtures.js';

const lib = tempLibrary('bracketeer-stack-edits-');
let cat: Catalog;
let raw: BetterSqlite3.Database;
/** Ids of the bracket frames A1…A4 (darkest first), B1 (other camera), S1 (other size). */
const id: Record<string, number> = {};
const files: string[] = [];

/** Shutter times of A1…A4: 1/400, 1/100, 1/25, 1/6 s → 2 EV steps, A1 darkest. */
const SHUTTER = ['1/400', '1/100', '1/25', '1/6'];

function exif(make: string, model: string, time: string, sub: string, shutter: string) {
  return {
    IFD0: { Make: make, Model: model },
    IFD2: {
      DateTimeOriginal: time,
      SubSecTimeOriginal: sub,
      ExposureTime: shutter,
      FNumber: '8',
      ISOSpeedRatings: '100',
    },
  };
}

/** Every stack as [id, member ids in order, userEdited]. */
function stacks(): [number, number[], boolean][] {
  return cat.listStacks().map((s) => [s.id, s.members.map((m) => m.photoId), s.userEdited]);
}

function detached(): number[] {
  return (
    raw.prepare('SELECT id FROM photos WHERE stack_detached = 1 ORDER BY id').all() as {
      id: number;
    }[]
  ).map((r) => r.id);
}

/** Back to one detected stack A1…A4 and no detached photos. */
function reset(): number {
  raw.exec('DELETE FROM stacks; UPDATE photos SET stack_detached = 0;');
  return cat.addStack([id.A3, id.A1, id.A4, id.A2]).id;
}

beforeAll(async () => {
  mkdirSync(lib.photos, { recursive: true });
  const specs: [string, number, number, ReturnType<typeof exif>][] = [
    ...SHUTTER.map((s, i): [string, number, number, ReturnType<typeof exif>] => [
      `A${i + 1}`,
      96,
      64,
      exif('Canon', 'Canon EOS R5', '2024:05:04 12:00:00', String(i * 300).padStart(3, '0'), s),
    ]),
    ['B1', 96, 64, exif('FUJIFILM', 'X-T4', '2024:06:01 10:00:00', '000', '1/60')],
    ['S1', 64, 96, exif('Canon', 'Canon EOS R5', '2024:07:01 10:00:00', '000', '1/60')],
  ];
  await Promise.all(
    specs.map(([name, w, h, e], k) =>
      writeJpeg(join(lib.photos, `${name}.jpg`), w, h, { seed: k + 1, exif: e }),
    ),
  );
  for (const [name] of specs) files.push(join(lib.photos, `${name}.jpg`));
  cat = openCatalog(lib.db);
  const results = await cat.importFiles(files, { thumbnailsDir: lib.thumbs });
  results.forEach((r, k) => {
    if (r.photoId === undefined) throw new Error(`import failed: ${JSON.stringify(r)}`);
    id[specs[k][0]] = r.photoId;
  });
  raw = new BetterSqlite3(lib.db);
});

afterAll(() => {
  raw?.close();
  cat?.close();
  lib.cleanup();
});

describe('detection before any edit', () => {
  it('finds A1…A4 as one stack, darkest first', async () => {
    expect(await findStacks(cat, Object.values(id))).toBe(1);
    expect(stacks()).toEqual([[expect.any(Number), [id.A1, id.A2, id.A3, id.A4], false]]);
  });
});

describe('stack edits', () => {
  let sid = 0;
  beforeEach(() => {
    sid = reset();
  });

  it('splits before a frame: both sides ≥ 2 stay stacks, the original keeps the front', () => {
    cat.saveRecipe({ stackId: sid }, { evs: [-2, 0, 2] });
    const r = cat.splitStack(id.A3);
    expect(r.singles).toEqual([]);
    expect(r.stacks[0]).toBe(sid);
    expect(r.stacks[1]).not.toBe(sid);
    expect(stacks()).toEqual([
      [sid, [id.A1, id.A2], true],
      [r.stacks[1], [id.A3, id.A4], true],
    ]);
    expect(cat.getPhoto(id.A3)?.stackId).toBe(r.stacks[1]);
    // the recipe stays with the original stack; the new one has none
    expect(cat.getRecipe({ stackId: sid })?.data).toEqual({ evs: [-2, 0, 2] });
    expect(cat.getRecipe({ stackId: r.stacks[1] })).toBeUndefined();
    expect(detached()).toEqual([]);
  });

  it('splits off a single frame: it becomes a plain photo, detached from detection', () => {
    const r = cat.splitStack(id.A2);
    expect(r).toEqual({ stacks: [sid], singles: [id.A1] });
    expect(stacks()).toEqual([[sid, [id.A2, id.A3, id.A4], true]]);
    expect(cat.getPhoto(id.A1)?.stackId).toBeNull();
    expect(detached()).toEqual([id.A1]);
    const last = cat.splitStack(id.A4);
    expect(last).toEqual({ stacks: [sid], singles: [id.A4] });
    expect(stacks()).toEqual([[sid, [id.A2, id.A3], true]]);
  });

  it('refuses to split before the first frame or a photo in no stack', () => {
    expect(() => cat.splitStack(id.A1)).toThrow(/A1\.jpg is the first frame/);
    expect(() => cat.splitStack(id.B1)).toThrow(/B1\.jpg \(photo \d+\) is not in a bracket stack/);
    expect(() => cat.splitStack(999_999)).toThrow(/photo 999999 is not in the catalog/);
    expect(stacks()).toEqual([[sid, [id.A1, id.A2, id.A3, id.A4], false]]);
  });

  it('removes a frame; a stack left with one frame dissolves and its recipes go with it', () => {
    expect(cat.removeFromStack(id.A2)).toEqual({ stacks: [sid], singles: [id.A2] });
    expect(stacks()).toEqual([[sid, [id.A1, id.A3, id.A4], true]]);
    cat.removeFromStack(id.A1);
    cat.saveRecipe({ stackId: sid }, { evs: [0] });
    expect(cat.removeFromStack(id.A4)).toEqual({ stacks: [], singles: [id.A3, id.A4] });
    expect(stacks()).toEqual([]);
    const left = raw.prepare('SELECT count(*) AS n FROM recipes WHERE stack_id = ?').get(sid);
    expect(left).toEqual({ n: 0 });
    expect(detached()).toEqual([id.A1, id.A2, id.A3, id.A4]);
    expect(() => cat.removeFromStack(id.A1)).toThrow(/A1\.jpg .* is not in a bracket stack/);
  });

  it('merges stacks and photos, ordered by exposure; the first stack named keeps its id', () => {
    const back = cat.splitStack(id.A3).stacks[1];
    cat.removeFromStack(id.A2); // front [A1, A2] dissolves: A1, A2 single
    expect(cat.getStack(sid)).toBeUndefined();
    cat.saveRecipe({ stackId: back }, { evs: [1] });
    // given in no exposure order: the stack of A3/A4 (by its A4 tile), then A2, then A1
    const r = cat.mergeStacks([id.A4, id.A2, id.A1]);
    expect(r).toEqual({ stacks: [back], singles: [] });
    expect(stacks()).toEqual([[back, [id.A1, id.A2, id.A3, id.A4], true]]);
    const evs = cat.getStack(back)?.members.map((m) => m.exposureEv) ?? [];
    // log2(t · ISO/100 / N²) with N = 8, ISO 100: −6 + log2(t)
    const expected = [1 / 400, 1 / 100, 1 / 25, 1 / 6].map((t) => Math.log2(t) - 6);
    evs.forEach((ev, i) => expect(ev).toBeCloseTo(expected[i], 9));
    expect(cat.getRecipe({ stackId: back })?.data).toEqual({ evs: [1] });
    expect(detached()).toEqual([]);
  });

  it('merges two stacks: the other stack is deleted with its recipes', () => {
    const back = cat.splitStack(id.A3).stacks[1];
    cat.saveRecipe({ stackId: back }, { evs: [1] });
    cat.saveRecipe({ stackId: sid }, { evs: [2] });
    expect(cat.mergeStacks([id.A1, id.A3])).toEqual({ stacks: [sid], singles: [] });
    expect(stacks()).toEqual([[sid, [id.A1, id.A2, id.A3, id.A4], true]]);
    expect(cat.getStack(back)).toBeUndefined();
    expect(cat.listRecipes({ stackId: sid }).map((x) => x.data)).toEqual([{ evs: [2] }]);
    const orphan = raw.prepare('SELECT count(*) AS n FROM recipes WHERE stack_id = ?').get(back);
    expect(orphan).toEqual({ n: 0 });
  });

  it('adds a photo to a stack in exposure order', () => {
    cat.removeFromStack(id.A2);
    expect(cat.addToStack(sid, [id.A2])).toEqual({ stacks: [sid], singles: [] });
    expect(stacks()).toEqual([[sid, [id.A1, id.A2, id.A3, id.A4], true]]);
    expect(detached()).toEqual([]);
    expect(() => cat.addToStack(sid, [id.A2])).toThrow(/A2\.jpg .* is already in stack/);
  });

  it('refuses mixed cameras and sizes, naming the photos and what differs', () => {
    const before = stacks();
    let err: unknown;
    try {
      cat.mergeStacks([id.A1, id.B1]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toBe(
      'cannot put these photos in one stack: cameras differ ' +
        '(Canon EOS R5: A1.jpg, A2.jpg, A3.jpg and 1 more; FUJIFILM X-T4: B1.jpg)',
    );
    expect(() => cat.addToStack(sid, [id.S1])).toThrow(
      'cannot put these photos in one stack: pixel sizes differ ' +
        '(96×64: A1.jpg, A2.jpg, A3.jpg and 1 more; 64×96: S1.jpg)',
    );
    expect(() => cat.mergeStacks([id.B1, id.S1])).toThrow(
      /cameras differ \(FUJIFILM X-T4: B1\.jpg; Canon EOS R5: S1\.jpg\); pixel sizes differ \(96×64: B1\.jpg; 64×96: S1\.jpg\)/,
    );
    expect(() => cat.mergeStacks([id.A1, id.A2])).toThrow(/nothing to merge: only stack/);
    expect(stacks()).toEqual(before);
    expect(detached()).toEqual([]);
  });

  it('is atomic: a merge failing half way leaves stacks, members and recipes as they were', () => {
    const back = cat.splitStack(id.A3).stacks[1];
    cat.saveRecipe({ stackId: back }, { evs: [1] });
    cat.saveRecipe({ stackId: sid }, { evs: [2] });
    const before = stacks();
    const recipes = raw.prepare('SELECT * FROM recipes ORDER BY id').all();
    // Fails the last member insert, after the second stack (and its recipe) was deleted.
    raw.exec(`CREATE TRIGGER fail_merge BEFORE INSERT ON stack_members
      WHEN NEW.photo_id = ${id.A4} AND NEW.position = 3
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    try {
      expect(() => cat.mergeStacks([id.A1, id.A3])).toThrow(/disk on fire/);
    } finally {
      raw.exec('DROP TRIGGER fail_merge');
    }
    expect(stacks()).toEqual(before);
    expect(raw.prepare('SELECT * FROM recipes ORDER BY id').all()).toEqual(recipes);
    expect(detached()).toEqual([]);
  });
});

describe('detection after edits', () => {
  it('re-import and rescan keep the split and do not pull removed photos back', async () => {
    const sid = reset();
    const back = cat.splitStack(id.A3).stacks[1];
    cat.removeFromStack(id.A2); // [A1, A2] dissolves: two detached singles that detection would stack
    const before = stacks();
    expect(before).toEqual([[back, [id.A3, id.A4], true]]);
    expect(sid).not.toBe(back);

    const again = await cat.importFiles(files, { thumbnailsDir: lib.thumbs });
    expect(again.map((r) => r.status)).toEqual(files.map(() => 'unchanged'));
    expect(await findStacks(cat, Object.values(id))).toBe(0);
    const rescan = await cat.rescan();
    expect(rescan.missing).toEqual([]);
    expect(await findStacks(cat, Object.values(id))).toBe(0);
    expect(stacks()).toEqual(before);
    // the detached photos, offered to detection directly, are refused inside its transaction
    expect(() => cat.addStack([id.A1, id.A2], { detected: true })).toThrow(
      /taken out of a stack by the user/,
    );
    // without the flags the same photos would be stacked again (the guard is what stops it)
    raw.exec('UPDATE photos SET stack_detached = 0');
    expect(await findStacks(cat, Object.values(id))).toBe(1);
    expect(stacks()).toContainEqual([expect.any(Number), [id.A1, id.A2], false]);
  });
});
