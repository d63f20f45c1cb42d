/**
 * The read side of the library grid: pages of photos sorted and filtered, counts, and the
 * camera list of the filter menu. SQL is assembled from whitelisted fragments only (values are
 * always bound) and prepared statements are cached per query shape.
 */
import type { Database, Statement } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import { PHOTO_COLUMNS, toPhoto, type PhotoRow } from './photo-row.js';
import type {
  CameraEntry,
  ListPhotosQuery,
  Photo,
  PhotoFilter,
  PhotoSort,
  PhotoStatus,
} from './types.js';

const SORT_SQL: Record<PhotoSort, string> = {
  captureTime: 'p.sort_time_ms',
  importedAt: 'p.imported_at',
  name: 'p.name COLLATE NOCASE',
};
const STATUSES: readonly PhotoStatus[] = ['ok', 'missing', 'error'];
/** Largest page size. */
export const MAX_PAGE = 10_000;

type Binding = string | number | null;

function where(filter: PhotoFilter): { sql: string; key: string; params: Binding[] } {
  const parts: string[] = [];
  const keys: string[] = [];
  const params: Binding[] = [];
  if (filter.camera) {
    parts.push('p.camera_make IS ? AND p.camera_model IS ?');
    keys.push('cam');
    params.push(filter.camera.make, filter.camera.model);
  }
  if (filter.hasStack !== undefined) {
    const not = filter.hasStack ? '' : 'NOT ';
    parts.push(`${not}EXISTS (SELECT 1 FROM stack_members m WHERE m.photo_id = p.id)`);
    keys.push(filter.hasStack ? 'stack' : 'nostack');
  }
  if (filter.status !== undefined) {
    const list = typeof filter.status === 'string' ? [filter.status] : filter.status;
    for (const s of list) {
      if (!STATUSES.includes(s)) throw new InvalidInputError(`unknown photo status "${s}"`);
    }
    parts.push(list.length === 0 ? '0' : `p.status IN (${list.map(() => '?').join(', ')})`);
    keys.push(`st${list.length}`);
    params.push(...list);
  }
  return {
    sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '',
    key: keys.join(','),
    params,
  };
}

function intIn(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new InvalidInputError(`${name} must be an integer ${min}…${max}, got ${v}`);
  }
  return v;
}

/** Cached, prepared queries over `photos`. */
export class PhotoQuery {
  private readonly cache = new Map<string, Statement>();
  private readonly byId: Statement<[number], PhotoRow>;
  private readonly cameraList: Statement<[], CameraEntry>;

  constructor(private readonly db: Database) {
    this.byId = db.prepare(`SELECT ${PHOTO_COLUMNS} FROM photos p WHERE p.id = ?`);
    this.cameraList = db.prepare(
      `SELECT camera_make AS make, camera_model AS model, count(*) AS count FROM photos
       GROUP BY camera_make, camera_model
       ORDER BY camera_make IS NULL, camera_make COLLATE NOCASE, camera_model COLLATE NOCASE`,
    );
  }

  private statement(key: string, sql: () => string): Statement {
    let st = this.cache.get(key);
    if (!st) {
      st = this.db.prepare(sql());
      this.cache.set(key, st);
    }
    return st;
  }

  /**
   * A page of photos.
   * @throws InvalidInputError for an unknown sort/order/status or an offset/limit out of range
   */
  list(q: ListPhotosQuery = {}): Photo[] {
    const sort = q.sort ?? 'captureTime';
    const order = q.order ?? 'asc';
    if (!(sort in SORT_SQL)) throw new InvalidInputError(`unknown sort "${sort}"`);
    if (order !== 'asc' && order !== 'desc')
      throw new InvalidInputError(`unknown order "${order}"`);
    const offset = intIn('offset', q.offset ?? 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intIn('limit', q.limit ?? 200, 1, MAX_PAGE);
    const w = where(q);
    const dir = order.toUpperCase();
    const st = this.statement(
      `list:${sort}:${dir}:${w.key}`,
      () =>
        `SELECT ${PHOTO_COLUMNS} FROM photos p ${w.sql}
         ORDER BY ${SORT_SQL[sort]} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`,
    );
    return (st.all(...w.params, limit, offset) as PhotoRow[]).map(toPhoto);
  }

  /** Number of photos matching the filter. */
  count(filter: PhotoFilter = {}): number {
    const w = where(filter);
    const st = this.statement(
      `count:${w.key}`,
      () => `SELECT count(*) AS n FROM photos p ${w.sql}`,
    );
    return (st.get(...w.params) as { n: number }).n;
  }

  /** One photo, or undefined when the id is unknown. */
  get(id: number): Photo | undefined {
    const row = this.byId.get(id);
    return row ? toPhoto(row) : undefined;
  }

  /** Distinct cameras with their photo counts, unknown make last. */
  cameras(): CameraEntry[] {
    return this.cameraList.all();
  }
}
