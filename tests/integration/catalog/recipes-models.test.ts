/**
 * Stacks, edit recipes and the model registry on a real catalog file: members ordered by
 * exposure computed from EXIF, recipe versioning and optimistic locking, model versions that
 * never overwrite each other with exactly one active per model.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/core/errors.js';
import { exposureEv, openCatalog, type Catalog } from '../../../src/main/catalog/index.js';
import { tempLibrary } from './fixtures.js';

const lib = tempLibrary('bracketeer-recipes-');
let cat: Catalog;
const HASH = (i: number): string => i.toString(16).padStart(64, '0');

beforeAll(() => {
  cat = openCatalog(lib.db);
  const db = new BetterSqlite3(lib.db);
  const insert = db.prepare(
    `INSERT INTO photos (id, path, name, content_hash, size_bytes, mtime_ms, kind, exif_json,
      thumbnail_path, status, imported_at, updated_at, sort_time_ms)
     VALUES (?, ?, ?, ?, 1, 0, 'ldr', ?, '/t.jpg', 'ok', 0, 0, 0)`,
  );
  // A bracket given out of order: 1/60 s, 1/1000 s, 1/250 s at f/8 ISO 100; one frame with
  // only a bias; one with no exposure data.
  const exif = [
    { exposureTime: 1 / 60, fNumber: 8, iso: 100 },
    { exposureTime: 1 / 1000, fNumber: 8, iso: 100 },
    { exposureTime: 1 / 250, fNumber: 8, iso: 100 },
    { exposureBias: 2 },
    {},
  ];
  exif.forEach((e, i) =>
    insert.run(i + 1, `/p/${i + 1}.jpg`, `${i + 1}.jpg`, HASH(i + 1), JSON.stringify(e)),
  );
  db.close();
});
afterAll(() => {
  cat.close();
  lib.cleanup();
});

describe('stacks', () => {
  it('computes exposure in EV from EXIF', () => {
    // log2(t · ISO/100 / N²): 1/250 s, ISO 400, f/4 → log2(1/250 · 4 / 16) = log2(1/1000)
    expect(exposureEv({ exposureTime: 1 / 250, iso: 400, fNumber: 4 })).toBeCloseTo(
      -Math.log2(1000),
      12,
    );
    expect(exposureEv({ exposureBias: -1.5 })).toBe(-1.5);
    expect(exposureEv({})).toBeNull();
  });

  it('orders members darkest first, lists and deletes stacks (photos stay)', () => {
    const s = cat.addStack([1, 2, 3], { label: 'church' });
    expect(s.members.map((m) => m.photoId)).toEqual([2, 3, 1]); // 1/1000, 1/250, 1/60
    expect(s.members.map((m) => m.position)).toEqual([0, 1, 2]);
    expect(s.members[0].exposureEv).toBeCloseTo(Math.log2(1 / 1000 / 64), 12);
    expect(cat.getPhoto(2)?.stackId).toBe(s.id);
    expect(cat.countPhotos({ hasStack: true })).toBe(3);
    expect(() => cat.addStack([3, 4])).toThrow(/photo 3 already belongs to stack/);
    expect(() => cat.addStack([4, 99])).toThrow(/photo 99 is not in the catalog/);
    expect(() => cat.addStack([4])).toThrow(InvalidInputError);
    const t = cat.addStack([5, 4]);
    expect(t.members.map((m) => [m.photoId, m.exposureEv])).toEqual([
      [4, 2],
      [5, null],
    ]);
    expect(cat.listStacks().map((x) => x.id)).toEqual([s.id, t.id]);
    cat.saveRecipe({ stackId: t.id }, { evs: [0] });
    expect(cat.deleteStack(t.id)).toBe(true);
    expect(cat.deleteStack(t.id)).toBe(false);
    expect(cat.getStack(t.id)).toBeUndefined();
    expect(cat.getPhoto(4)?.stackId).toBeNull();
    expect(cat.countPhotos()).toBe(5);
    expect(cat.listRecipes({ stackId: t.id })).toEqual([]); // its recipes went with it
  });
});

describe('recipes', () => {
  it('saves, versions and reads back recipes per photo and per stack', () => {
    const data = {
      evs: [-3, -1.5, 0, 1.5, 3],
      operator: { id: 'drago03', params: { bias: 0.85 } },
      adjustments: { exposure: 0.3, gamma: 1, saturation: 1.1 },
      export: { format: 'tiff', bitDepth: 16, pattern: '{name}_{ev}' },
    };
    const r1 = cat.saveRecipe({ photoId: 1 }, data);
    expect(r1).toMatchObject({ photoId: 1, stackId: null, name: 'default', version: 1, data });
    const r2 = cat.saveRecipe({ photoId: 1 }, { ...data, evs: [0] }, { expectedVersion: 1 });
    expect(r2).toMatchObject({ id: r1.id, version: 2, createdAt: r1.createdAt });
    expect(r2.updatedAt).toBeGreaterThanOrEqual(r1.updatedAt);
    expect(cat.getRecipe({ photoId: 1 })?.data.evs).toEqual([0]);
    // a second window that started from version 1 must not overwrite version 2
    expect(() => cat.saveRecipe({ photoId: 1 }, data, { expectedVersion: 1 })).toThrow(
      /changed elsewhere \(version 2, expected 1\)/,
    );
    expect(() => cat.saveRecipe({ photoId: 2 }, data, { expectedVersion: 1 })).toThrow(
      /version 0, expected 1/,
    );
    cat.saveRecipe({ photoId: 1 }, { evs: [-1] }, { name: 'print' });
    expect(cat.listRecipes(1).map((r) => [r.name, r.version])).toEqual([
      ['default', 2],
      ['print', 1],
    ]);
    const stack = cat.listStacks()[0];
    expect(cat.saveRecipe({ stackId: stack.id }, { operator: { id: 'mantiuk06' } })).toMatchObject({
      stackId: stack.id,
      photoId: null,
      version: 1,
    });
    expect(cat.getRecipe({ photoId: 3 })).toBeUndefined();
  });

  it('rejects invalid documents and unknown targets', () => {
    expect(() => cat.saveRecipe({ photoId: 1 }, { evs: [12] })).toThrow(/evs\[0\]/);
    expect(() => cat.saveRecipe({ photoId: 1 }, { evs: [Number.NaN] })).toThrow(InvalidInputError);
    expect(() => cat.saveRecipe({ photoId: 1 }, { operator: { id: '' } })).toThrow(/operator.id/);
    expect(() =>
      cat.saveRecipe({ photoId: 1 }, { adjustments: { gamma: Number.POSITIVE_INFINITY } }),
    ).toThrow(/adjustment gamma/);
    expect(() => cat.saveRecipe({ photoId: 404 }, {})).toThrow(/photo 404 is not in the catalog/);
    expect(() => cat.saveRecipe({ stackId: 404 }, {})).toThrow(/stack 404 is not in the catalog/);
  });
});

describe('model versions', () => {
  const base = {
    modelId: 'multi-exposure-lite',
    modelName: 'Multi-exposure (lite)',
    architecture: 'le23',
  };

  it('numbers versions, never overwrites, keeps exactly one active', () => {
    const v1 = cat.addModelVersion({
      ...base,
      weightsPath: '/res/models/lite/model.onnx',
      sha256: HASH(1),
      card: { steps: 20000, psnr: { '+1': 30.2 } },
    });
    expect(v1).toMatchObject({ version: 1, active: true, baseVersionId: null });
    const v2 = cat.addModelVersion({
      ...base,
      baseVersionId: v1.id,
      weightsPath: '/user/models/lite-ft1/model.onnx',
      sha256: HASH(2),
      card: { fineTunedOn: 'my stacks', steps: 500 },
    });
    expect(v2).toMatchObject({ version: 2, active: false, baseVersionId: v1.id });
    const v3 = cat.addModelVersion({
      ...base,
      baseVersionId: v2.id,
      weightsPath: '/user/models/lite-ft2/model.onnx',
      sha256: HASH(3),
      activate: true,
    });
    expect(v3.active).toBe(true);
    const list = cat.listModelVersions(base.modelId);
    expect(list.map((v) => [v.version, v.active, v.weightsPath])).toEqual([
      [1, false, '/res/models/lite/model.onnx'],
      [2, false, '/user/models/lite-ft1/model.onnx'],
      [3, true, '/user/models/lite-ft2/model.onnx'],
    ]);
    expect(list[0].card).toEqual({ steps: 20000, psnr: { '+1': 30.2 } });
    expect(cat.setActiveModelVersion(v1.id).active).toBe(true);
    expect(
      cat
        .listModelVersions(base.modelId)
        .filter((v) => v.active)
        .map((v) => v.id),
    ).toEqual([v1.id]);
    expect(cat.activeModelVersion(base.modelId)?.id).toBe(v1.id);
    // another model has its own numbering and its own active version
    const other = cat.addModelVersion({
      modelId: 'deep-chain',
      modelName: 'Deep Chain HDRI',
      architecture: 'lee18',
      weightsPath: '/res/models/chain/model.onnx',
      sha256: HASH(4),
    });
    expect(other).toMatchObject({ version: 1, active: true });
    expect(cat.activeModelVersion(base.modelId)?.id).toBe(v1.id);
    expect(cat.listModelVersions().length).toBe(4);
  });

  it('rejects malformed input', () => {
    const v = { ...base, weightsPath: '/w', sha256: HASH(9) };
    expect(() => cat.addModelVersion({ ...v, sha256: 'xyz' })).toThrow(/sha256/);
    expect(() => cat.addModelVersion({ ...v, modelId: 'a b' })).toThrow(/model id/);
    expect(() => cat.addModelVersion({ ...v, baseVersionId: 999 })).toThrow(/base model version/);
    expect(() => cat.setActiveModelVersion(999)).toThrow(/does not exist/);
    expect(cat.listModelVersions(base.modelId).length).toBe(3); // nothing half-written
  });
});
