/**
 * The library grid's read side: pages of tiles where a bracket stack is ONE tile (shown by its
 * middle frame, position ⌊(n − 1)/2⌋), with the stack's frame count and how many of its
 * originals are not present. SQL is built from whitelisted fragments; values are always bound.
 */
import type { Database, Statement } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import { PHOTO_COLUMNS, toPhoto, type PhotoRow } from './photo-row.js';
import type { Photo } from './types.js';

/** Sort keys of the grid. */
export type TileSort = 'date' | 'name' | 'camera';

/** Filters of {@link TileQuery}; absent fields do not filter. */
export interface TileFilter {
  /** Only this camera (null make/model = not recorded). */
  readonly camera?: { readonly make: string | null; readonly model: string | null };
  /** true: only stacks; false: only single photos. */
  readonly hasStack?: boolean;
  /** Case-insensitive substring of the path (of any frame, for a stack). */
  readonly text?: string;
}

/** A page request. */
export interface TileQuery extends TileFilter {
  readonly sort?: TileSort;
  readonly order?: 'asc' | 'desc';
  /** ≥ 0, default 0. */
  readonly offset?: number;
  /** 1…10,000, default 200. */
  readonly limit?: number;
}

/** A tile: the photo (a stack's representative frame) and its stack facts. */
export interface Tile {
  readonly photo: Photo;
  /** 1 for a single photo, else the stack's member count. */
  readonly frameCount: number;
  /** Frames (or this photo) whose status is not `ok`. */
  readonly notOkFrames: number;
}

const ORDER: Record<TileSort, (dir: string) => string> = {
  date: (d) => `p.sort_time_ms ${d}, p.id ${d}`,
  name: (d) => `p.name COLLATE NOCASE ${d}, p.id ${d}`,
  camera: (d) =>
    `p.camera_make IS NULL, p.camera_make COLLATE NOCASE ${d}, p.camera_model COLLATE NOCASE ${d}, p.sort_time_ms ${d}, p.id ${d}`,
};

const FROM = `FROM photos p LEFT JOIN stack_members m ON m.photo_id = p.id`;
const REPRESENTATIVE = `(m.stack_id IS NULL OR m.position =
  (SELECT (count(*) - 1) / 2 FROM stack_members c WHERE c.stack_id = m.stack_id))`;
const EXTRA = `,
  CASE WHEN m.stack_id IS NULL THEN 1 ELSE
    (SELECT count(*) FROM stack_members c WHERE c.stack_id = m.stack_id) END AS frame_count,
  CASE WHEN m.stack_id IS NULL THEN (p.status <> 'ok') ELSE
    (SELECT count(*) FROM stack_members c JOIN photos q ON q.id = c.photo_id
     WHERE c.stack_id = m.stack_id AND q.status <> 'ok') END AS not_ok`;

type Binding = string | number | null;

/** `%…%` LIKE pattern with `\` escaping. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function where(f: TileFilter): { sql: string; key: string; params: Binding[] } {
  const parts = [REPRESENTATIVE];
  const keys: string[] = [];
  const params: Binding[] = [];
  if (f.camera) {
    parts.push('p.camera_make IS ? AND p.camera_model IS ?');
    keys.push('cam');
    params.push(f.camera.make, f.camera.model);
  }
  if (f.hasStack !== undefined) {
    parts.push(f.hasStack ? 'm.stack_id IS NOT NULL' : 'm.stack_id IS NULL');
    keys.push(f.hasStack ? 'stack' : 'single');
  }
  if (f.text !== undefined && f.text.trim() !== '') {
    parts.push(`(p.path LIKE ? ESCAPE '\\' OR (m.stack_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM stack_members c JOIN photos q ON q.id = c.photo_id
      WHERE c.stack_id = m.stack_id AND q.path LIKE ? ESCAPE '\\')))`);
    keys.push('text');
    const pattern = likePattern(f.text.trim());
    params.push(pattern, pattern);
  }
  return { sql: `WHERE ${parts.join(' AND ')}`, key: keys.join(','), params };
}

/** Cached prepared statements for tile pages and counts. */
export class TileQueryRunner {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private statement(key: string, sql: () => string): Statement {
    let st = this.cache.get(key);
    if (!st) {
      st = this.db.prepare(sql());
      this.cache.set(key, st);
    }
    return st;
  }

  /**
   * A page of tiles.
   * @throws InvalidInputError for an unknown sort/order or an offset/limit out of range
   */
  list(q: TileQuery = {}): Tile[] {
    const sort = q.sort ?? 'date';
    const order = q.order ?? 'asc';
    if (!Object.hasOwn(ORDER, sort)) throw new InvalidInputError(`unknown sort "${sort}"`);
    if (order !== 'asc' && order !== 'desc') {
      throw new InvalidInputError(`unknown order "${order}"`);
    }
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 200;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new InvalidInputError(`offset must be an integer ≥ 0, got ${offset}`);
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new InvalidInputError(`limit must be an integer 1…10000, got ${limit}`);
    }
    const w = where(q);
    const dir = order.toUpperCase();
    const st = this.statement(
      `list:${sort}:${dir}:${w.key}`,
      () =>
        `SELECT ${PHOTO_COLUMNS}${EXTRA} ${FROM} ${w.sql}
         ORDER BY ${ORDER[sort](dir)} LIMIT ? OFFSET ?`,
    );
    const rows = st.all(...w.params, limit, offset) as (PhotoRow & {
      frame_count: number;
      not_ok: number;
    })[];
    return rows.map((r) => ({
      photo: toPhoto(r),
      frameCount: r.frame_count,
      notOkFrames: r.not_ok,
    }));
  }

  /** Number of tiles matching the filter (a stack counts once). */
  count(f: TileFilter = {}): number {
    const w = where(f);
    const st = this.statement(`count:${w.key}`, () => `SELECT count(*) AS n ${FROM} ${w.sql}`);
    return (st.get(...w.params) as { n: number }).n;
  }
}
