/**
 * Turns the paths of a `library.import` request into image files: files as given, folders
 * searched recursively (hidden entries skipped, symlinked folders not followed) for image file
 * extensions. Every path goes through the {@link PathPolicy}; problems are collected per path.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsReason } from '../../../core/io/limits.js';
import { ApiError } from '../../../shared/api/index.js';
import type { PathPolicy } from '../paths.js';

/** File extensions a folder import picks up (lower case, with the dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.png',
  '.tif',
  '.tiff',
  '.webp',
  '.avif',
  '.hdr',
  '.pic',
  '.exr',
]);

/** Most files one import may expand to. */
export const MAX_IMPORT_FILES = 100_000;

/** Files found and paths that could not be used (messages name the path). */
export interface ExpandedPaths {
  readonly files: string[];
  readonly errors: { path: string; message: string }[];
}

function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

function inside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function checkFolderRoots(dir: string, policy: PathPolicy): Promise<void> {
  const roots = policy.allowedRoots;
  if (roots.length === 0) return;
  const real = await realpath(dir);
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
  if (![...roots, ...realRoots].some((r) => inside(real, r))) {
    throw new ApiError(
      'forbidden',
      `paths: ${dir} is outside the allowed folders (${roots.join(', ')})`,
      'paths',
    );
  }
}

async function walk(dir: string, out: string[], errors: ExpandedPaths['errors']): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    errors.push({ path: dir, message: `${dir}: ${fsReason(err)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await walk(full, out, errors);
    else if ((e.isFile() || e.isSymbolicLink()) && isImageName(e.name)) out.push(full);
    if (out.length > MAX_IMPORT_FILES) return;
  }
}

/**
 * Expands request paths to image files.
 * @param paths - absolute files or folders
 * @param policy - the allowed folders
 * @returns unique files in request order (folders sorted by name), and per-path errors
 * @throws ApiError too-large when more than {@link MAX_IMPORT_FILES} files are found
 */
export async function expandPaths(
  paths: readonly string[],
  policy: PathPolicy,
): Promise<ExpandedPaths> {
  const found: string[] = [];
  const errors: ExpandedPaths['errors'] = [];
  for (const p of paths) {
    try {
      const st = await stat(p);
      if (st.isDirectory()) {
        await checkFolderRoots(p, policy);
        await walk(path.resolve(p), found, errors);
      } else {
        found.push(path.resolve(p));
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file or folder' : fsReason(err);
      const message = err instanceof ApiError ? err.message : `${p}: ${reason}`;
      errors.push({ path: p, message });
    }
    if (found.length > MAX_IMPORT_FILES) {
      throw new ApiError(
        'too-large',
        `library.import: more than ${MAX_IMPORT_FILES} image files under ${paths.join(', ')}`,
      );
    }
  }
  const files: string[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    if (seen.has(f)) continue;
    seen.add(f);
    try {
      files.push(await policy.inputFile(f, 'paths'));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      errors.push({ path: f, message });
    }
  }
  return { files, errors };
}
