/**
 * Batch import into the catalog. Per file: stat, streamed SHA-256, header, EXIF, thumbnail
 * (atomic write), then one transaction. A process killed at any point leaves every committed
 * file complete and nothing of the file in progress except, at worst, an unreferenced thumbnail.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, InvalidInputError } from '../../core/errors.js';
import { fsReason, oneLine } from '../../core/io/limits.js';
import { throwIfAborted, type JobOptions } from '../../core/job.js';
import { hashFile } from './hash-file.js';
import type { PhotoStore } from './photo-store.js';
import { readFileFacts } from './read-file-facts.js';
import type { ImportResult } from './types.js';

/** Options of importFiles. */
export interface ImportOptions extends JobOptions {
  /** Folder of the thumbnail cache (created when missing); thumbnails are `<sha256>.jpg`. */
  readonly thumbnailsDir: string;
  /** Called after each file with its result and its index in `paths`. */
  readonly onResult?: (result: ImportResult, index: number) => void;
}

/** Path of the thumbnail of a content hash in the cache folder. */
export function thumbnailPathFor(thumbnailsDir: string, contentHash: string): string {
  return path.join(path.resolve(thumbnailsDir), `${contentHash}.jpg`);
}

async function importOne(
  store: PhotoStore,
  file: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const { signal } = options;
  let size: number;
  let mtimeMs: number;
  let contentHash: string;
  try {
    const st = await stat(file);
    if (!st.isFile()) return { path: file, status: 'error', message: `${file}: not a file` };
    size = st.size;
    mtimeMs = st.mtimeMs;
    contentHash = await hashFile(file, signal);
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    const message = `${file}: ${fsReason(err)}`;
    const code = (err as NodeJS.ErrnoException).code;
    const id = code === 'ENOENT' ? store.markGone(file, Date.now()) : store.idOf(file);
    return { path: file, status: 'error', message, ...(id !== undefined ? { photoId: id } : {}) };
  }
  const thumbnailPath = thumbnailPathFor(options.thumbnailsDir, contentHash);
  const identity = { path: file, contentHash, sizeBytes: size, mtimeMs };
  if (store.isUnchanged(file, contentHash, identity, thumbnailPath)) {
    return { path: file, status: 'unchanged', photoId: store.idOf(file) };
  }
  const facts = await readFileFacts(identity, thumbnailPath, signal);
  throwIfAborted(signal);
  return store.record(facts, Date.now());
}

/**
 * Imports files into the catalog, one after the other. Corrupt or unreadable files are
 * recorded (status `error`, the reason naming the file) and the batch goes on; a path that
 * does not exist is reported and, when catalogued, marked missing.
 * @param store - the catalog's photo statements
 * @param paths - image files (resolved against the working directory)
 * @param options - thumbnail folder, `signal`, `onProgress` (fraction of files done), `onResult`
 * @returns one result per path, in order
 * @throws CancelledError when aborted (files already done stay imported)
 */
export async function importFiles(
  store: PhotoStore,
  paths: readonly string[],
  options: ImportOptions,
): Promise<ImportResult[]> {
  if (!options.thumbnailsDir) throw new InvalidInputError('importFiles: thumbnailsDir is required');
  await mkdir(path.resolve(options.thumbnailsDir), { recursive: true });
  const results: ImportResult[] = [];
  const n = paths.length;
  options.onProgress?.({ fraction: 0, message: `Importing ${n} file${n === 1 ? '' : 's'}` });
  for (let i = 0; i < n; i++) {
    throwIfAborted(options.signal);
    const file = path.resolve(paths[i]);
    let result: ImportResult;
    try {
      result = await importOne(store, file, options);
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      // Not the file's fault (e.g. the thumbnail folder is not writable): report, go on.
      result = { path: file, status: 'error', message: oneLine(err) };
    }
    results.push(result);
    options.onResult?.(result, i);
    options.onProgress?.({
      fraction: (i + 1) / n,
      message: `${path.basename(file)}: ${result.status}`,
    });
  }
  return results;
}
