/**
 * Non-destructive edit recipes: what the editor did to a photo or a stack (virtual bracket EVs,
 * tone-mapping operator and parameters, adjustments, export settings), stored as JSON, named
 * (default "default"), versioned: every save bumps `version` and `updatedAt`, and a save can
 * require the version it started from (optimistic locking between two windows).
 */
import type { Database } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';

/** Any JSON value. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The recipe document. Unknown keys are kept as they are (newer app versions). */
export interface EditRecipe {
  /** EV offsets of the virtual bracket frames, each in −10…+10, e.g. [−2, 0, 2]. */
  readonly evs?: readonly number[];
  /** Tone-mapping operator id (see the core's registry) and its parameters by key. */
  readonly operator?: { readonly id: string; readonly params?: Readonly<Record<string, number>> };
  /** Display adjustments by key (exposure EV, gamma, saturation). */
  readonly adjustments?: Readonly<Record<string, number>>;
  /** Export settings (format, quality, bit depth, EVs, file-name pattern…). */
  readonly export?: { readonly [key: string]: JsonValue };
  readonly [key: string]: JsonValue | undefined;
}

/** What a recipe belongs to. */
export type RecipeTarget = { readonly photoId: number } | { readonly stackId: number };

/** A stored recipe. */
export interface Recipe {
  readonly id: number;
  readonly photoId: number | null;
  readonly stackId: number | null;
  readonly name: string;
  readonly data: EditRecipe;
  /** 1 for the first save, +1 on each save. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Largest recipe document, in bytes of JSON. */
const MAX_JSON = 1 << 20;

interface RecipeRow {
  id: number;
  photo_id: number | null;
  stack_id: number | null;
  name: string;
  recipe_json: string;
  version: number;
  created_at: number;
  updated_at: number;
}

function toRecipe(r: RecipeRow): Recipe {
  return {
    id: r.id,
    photoId: r.photo_id,
    stackId: r.stack_id,
    name: r.name,
    data: JSON.parse(r.recipe_json) as EditRecipe,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function finite(what: string, v: unknown, lo = -Infinity, hi = Infinity): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    throw new InvalidInputError(`recipe ${what} must be a number in ${lo}…${hi}, got ${String(v)}`);
  }
}

/** Checks the fields the app relies on and serialises the document. */
function serialise(data: EditRecipe): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidInputError('a recipe must be a JSON object');
  }
  if (data.evs !== undefined) {
    if (!Array.isArray(data.evs)) throw new InvalidInputError('recipe evs must be an array');
    data.evs.forEach((ev, i) => finite(`evs[${i}]`, ev, -10, 10));
  }
  if (data.operator !== undefined) {
    if (typeof data.operator?.id !== 'string' || data.operator.id === '') {
      throw new InvalidInputError('recipe operator.id must be a non-empty string');
    }
    for (const [k, v] of Object.entries(data.operator.params ?? {})) finite(`parameter ${k}`, v);
  }
  for (const [k, v] of Object.entries(data.adjustments ?? {})) finite(`adjustment ${k}`, v);
  const json = JSON.stringify(data);
  if (json.length > MAX_JSON) throw new InvalidInputError(`recipe is too large (${json.length} B)`);
  return json;
}

function targetSql(t: RecipeTarget): { col: 'photo_id' | 'stack_id'; id: number; what: string } {
  return 'photoId' in t
    ? { col: 'photo_id', id: t.photoId, what: `photo ${t.photoId}` }
    : { col: 'stack_id', id: t.stackId, what: `stack ${t.stackId}` };
}

/**
 * Creates or replaces a named recipe in one transaction.
 * @param options.expectedVersion - when given, the save fails unless the stored version is this
 *   one (0 = must not exist yet)
 * @throws InvalidInputError for an invalid document, an unknown photo/stack, or a version conflict
 */
export function saveRecipe(
  db: Database,
  target: RecipeTarget,
  data: EditRecipe,
  options: { name?: string; expectedVersion?: number; now?: number } = {},
): Recipe {
  const json = serialise(data);
  const name = options.name ?? 'default';
  const now = options.now ?? Date.now();
  const t = targetSql(target);
  const table = t.col === 'photo_id' ? 'photos' : 'stacks';
  return db
    .transaction(() => {
      if (!db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(t.id)) {
        throw new InvalidInputError(`${t.what} is not in the catalog`);
      }
      const cur = db
        .prepare(`SELECT * FROM recipes WHERE ${t.col} = ? AND name = ?`)
        .get(t.id, name) as RecipeRow | undefined;
      const have = cur?.version ?? 0;
      if (options.expectedVersion !== undefined && options.expectedVersion !== have) {
        throw new InvalidInputError(
          `recipe "${name}" of ${t.what} was changed elsewhere (version ${have}, expected ${options.expectedVersion})`,
        );
      }
      if (cur) {
        db.prepare(
          'UPDATE recipes SET recipe_json = ?, version = version + 1, updated_at = ? WHERE id = ?',
        ).run(json, Math.max(now, cur.updated_at), cur.id);
      } else {
        db.prepare(
          `INSERT INTO recipes (${t.col}, name, recipe_json, version, created_at, updated_at)
           VALUES (?, ?, ?, 1, ?, ?)`,
        ).run(t.id, name, json, now, now);
      }
      const row = db
        .prepare(`SELECT * FROM recipes WHERE ${t.col} = ? AND name = ?`)
        .get(t.id, name) as RecipeRow;
      return toRecipe(row);
    })
    .immediate();
}

/** A named recipe of a photo or stack, or undefined. */
export function getRecipe(
  db: Database,
  target: RecipeTarget,
  name = 'default',
): Recipe | undefined {
  const t = targetSql(target);
  const row = db.prepare(`SELECT * FROM recipes WHERE ${t.col} = ? AND name = ?`).get(t.id, name);
  return row ? toRecipe(row as RecipeRow) : undefined;
}

/** Every recipe of a photo (a number) or of a stack / photo target, by name. */
export function listRecipes(db: Database, target: RecipeTarget | number): Recipe[] {
  const t = targetSql(typeof target === 'number' ? { photoId: target } : target);
  const rows = db
    .prepare(`SELECT * FROM recipes WHERE ${t.col} = ? ORDER BY name`)
    .all(t.id) as RecipeRow[];
  return rows.map(toRecipe);
}
