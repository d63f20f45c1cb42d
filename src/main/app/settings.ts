/**
 * The app's settings (Electron-free): `settings.json` in the user-data folder, validated with a
 * zod schema. Writes are atomic (temporary file, then rename) and serialised; a corrupt or
 * invalid file is set aside as `settings.json.bad` and the defaults are used, with a warning
 * naming the file.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_RECENT } from './recent-files.js';

/** Window placement, screen pixels. */
const bounds = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(16384),
  height: z.number().int().min(300).max(16384),
  maximized: z.boolean().default(false),
});

/** The settings file's schema (unknown keys are dropped on load). */
export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  window: bounds.optional(),
  /** Recent files, most recent first. */
  recentFiles: z.array(z.string().min(1).max(4096)).max(MAX_RECENT).default([]),
  /** Folder the Open… and Import folder… dialogs start in. */
  lastOpenFolder: z.string().min(1).max(4096).optional(),
});

/** Validated settings. */
export type Settings = z.output<typeof settingsSchema>;

/** The settings of a first start. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** Receives warnings (the app writes them to its log file). */
export type WarnLog = (line: string) => void;

/** The settings file of a user-data folder. */
export function settingsFile(userDataDir: string): string {
  return path.join(userDataDir, 'settings.json');
}

/** Loaded settings plus atomic, serialised saving. */
export class SettingsStore {
  private current: Settings;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    initial: Settings,
  ) {
    this.current = initial;
  }

  /**
   * Reads `file`. Missing → defaults. Unparsable JSON or a schema violation → the file is renamed
   * to `<file>.bad` (replacing an older one), `warn` is told which file and why, defaults are used.
   */
  static async open(file: string, warn: WarnLog): Promise<SettingsStore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        warn(`settings: cannot read ${file} (${(err as Error).message}); using defaults`);
      }
      return new SettingsStore(file, defaultSettings());
    }
    let problem: string;
    try {
      const r = settingsSchema.safeParse(JSON.parse(text));
      if (r.success) return new SettingsStore(file, r.data);
      const issue = r.error.issues[0];
      problem = `${issue.path.join('.') || 'the file'}: ${issue.message}`;
    } catch (err) {
      problem = `not JSON (${(err as Error).message})`;
    }
    const bad = `${file}.bad`;
    try {
      await rename(file, bad);
      warn(`settings: ${file} is invalid (${problem}); kept as ${bad}, using defaults`);
    } catch (err) {
      warn(
        `settings: ${file} is invalid (${problem}) and could not be renamed to ${bad} ` +
          `(${(err as Error).message}); using defaults`,
      );
    }
    return new SettingsStore(file, defaultSettings());
  }

  /** The settings now (a frozen snapshot). */
  get(): Readonly<Settings> {
    return this.current;
  }

  /**
   * Applies a change and saves. The change is validated first (the settings stay as they were
   * when it is invalid).
   * @throws Error naming the field when the result violates the schema, or when writing fails
   */
  async update(change: (s: Settings) => Settings): Promise<Settings> {
    const next = settingsSchema.parse(change(structuredClone(this.current)));
    this.current = next;
    const text = `${JSON.stringify(next, null, 2)}\n`;
    const write = this.writing.then(() => writeAtomic(this.file, text));
    this.writing = write.catch(() => undefined);
    await write;
    return next;
  }

  /** Resolves once every pending write has finished. */
  flush(): Promise<void> {
    return this.writing;
  }
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder, then a rename over
 * the target, so a crash leaves either the old or the new file, never half of one.
 * @throws Error naming the file when the folder cannot be created or the write fails
 */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(tmp, text, { encoding: 'utf8', flush: true });
    await rename(tmp, file);
  } catch (err) {
    if (existsSync(tmp)) await rm(tmp, { force: true });
    throw new Error(`cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}
