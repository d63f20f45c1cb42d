/**
 * The main process's log (Electron-free): `<userData>/logs/main.log`, one timestamped line per
 * entry, rotated by size (main.log → main.1.log → … → main.<keep>.log, the oldest dropped).
 * Writes are synchronous so the last lines before a crash are on disk.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** Severity of a line. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Options of {@link openLogFile}. */
export interface LogFileOptions {
  /** Size at which the file is rotated, bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** Rotated files kept besides the current one (default 3). */
  readonly keep?: number;
  /** Also write each line to stderr (default false). */
  readonly echo?: boolean;
}

/** A log file. */
export interface LogFile {
  /** Absolute path of the current file. */
  readonly file: string;
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** `<userData>/logs/main.log`. */
export function logFilePath(userDataDir: string): string {
  return path.join(userDataDir, 'logs', 'main.log');
}

function rotated(file: string, n: number): string {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.${n}${ext}`;
}

/**
 * Opens (creating the folder) the log at `file`. Logging never throws: a line that cannot be
 * written goes to stderr instead.
 */
export function openLogFile(file: string, options: LogFileOptions = {}): LogFile {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = Math.max(0, options.keep ?? 3);
  let size = 0;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    size = statSync(file).size;
  } catch {
    size = 0;
  }

  function rotate(): void {
    rmSync(rotated(file, keep), { force: true });
    for (let n = keep - 1; n >= 1; n--) {
      try {
        renameSync(rotated(file, n), rotated(file, n + 1));
      } catch {
        // that generation does not exist yet
      }
    }
    if (keep > 0) renameSync(file, rotated(file, 1));
    else rmSync(file, { force: true });
    size = 0;
  }

  function write(level: LogLevel, line: string): void {
    const text = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${line.replace(/\r?\n/g, '\n    ')}\n`;
    const bytes = Buffer.byteLength(text);
    try {
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(file, text);
      size += bytes;
    } catch (err) {
      process.stderr.write(`log ${file}: ${(err as Error).message}: ${text}`);
      return;
    }
    if (options.echo) process.stderr.write(text);
  }

  return {
    file,
    info: (line) => write('info', line),
    warn: (line) => write('warn', line),
    error: (line) => write('error', line),
  };
}
