/** Opens the catalog's SQLite file with the settings every connection uses. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';

/**
 * Opens (creating when absent) a SQLite database file for the catalog: write-ahead log (readers
 * never block the writer, a killed process loses at most its open transaction), foreign keys
 * enforced, `synchronous = NORMAL` (safe in WAL mode against application crashes), a 5 s busy
 * timeout for a second connection, temporary tables in memory.
 * @param file - path of the database file; its folder is created when missing
 * @throws InvalidInputError naming the file when it cannot be opened or is not a database
 */
export function openDatabase(file: string): Database {
  const abs = path.resolve(file);
  let db: Database | undefined;
  try {
    mkdirSync(path.dirname(abs), { recursive: true });
    db = new BetterSqlite3(abs);
    db.pragma('busy_timeout = 5000');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`cannot switch to WAL mode (journal_mode is ${mode})`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db?.close();
    const reason = err instanceof Error ? err.message : String(err);
    throw new InvalidInputError(`${abs}: cannot open the catalog database: ${reason}`);
  }
}
