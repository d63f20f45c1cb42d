/**
 * The training log: one JSON object per line, appended (a resumed run continues the same file).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Appends records to a JSON-lines file, creating its folder on first use. */
export class JsonlLog {
  private ready: Promise<unknown> | null = null;

  constructor(readonly file: string) {}

  /** Appends one record (a line of JSON). */
  async write(record: Record<string, unknown>): Promise<void> {
    this.ready ??= mkdir(path.dirname(this.file), { recursive: true });
    await this.ready;
    await appendFile(this.file, `${JSON.stringify(record)}\n`);
  }
}
