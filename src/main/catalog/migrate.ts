/** Applies numbered schema migrations, each atomically with its `PRAGMA user_version`. */
import type { Database } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** The schema version recorded in the database file (0 for a new, empty file). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to `target`, applying each pending migration in its own transaction that
 * also sets `PRAGMA user_version`: a failure (or a crash) leaves the database at the last
 * completed version, never half-migrated.
 * @param file - database file name, for error messages
 * @param migrations - the history to apply (default: the catalog's own)
 * @param target - version to reach (default: the last migration's)
 * @returns the versions applied, in order (empty when already up to date)
 * @throws InvalidInputError when the file was written by a newer version of the app, or the
 *   history has gaps; the migration's own error (with its number and name) when one fails
 */
export function migrate(
  db: Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = migrations.length > 0 ? migrations[migrations.length - 1].version : 0,
): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new InvalidInputError(`catalog migrations must be numbered 1, 2, …; got ${m.version}`);
    }
  });
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new InvalidInputError(
      `${file}: catalog schema version ${current} is newer than this app supports (${latest}); update Bracketeer`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    const step = db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step.immediate();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`${file}: catalog migration ${m.version} (${m.name}) failed: ${reason}`, {
        cause: err,
      });
    }
    applied.push(m.version);
  }
  return applied;
}
