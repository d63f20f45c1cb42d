/**
 * File-path checks for every path a request carries: absolute, inside the allowed folders (when
 * the server was started with roots; symlinks resolved), an input is an existing readable file, an
 * output folder is writable (or can be created in a writable folder).
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api/index.js';

/** Options of {@link PathPolicy}. */
export interface PathPolicyOptions {
  /** Folders requests may read and write under; empty or absent: anywhere the user can. */
  readonly roots?: readonly string[];
}

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function inside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Checks request paths; every failure is an ApiError naming the field and the path. */
export class PathPolicy {
  private readonly roots: readonly string[];
  private realRoots: Promise<string[]> | null = null;

  constructor(options: PathPolicyOptions = {}) {
    this.roots = (options.roots ?? []).map((r) => path.resolve(r));
  }

  /** The allowed folders (absolute), empty when unrestricted. */
  get allowedRoots(): readonly string[] {
    return this.roots;
  }

  private async checkRoots(field: string, shown: string, resolved: string): Promise<void> {
    if (this.roots.length === 0) return;
    this.realRoots ??= Promise.all(this.roots.map((r) => realpath(r).catch(() => r)));
    const roots = [...this.roots, ...(await this.realRoots)];
    if (!roots.some((r) => inside(resolved, r))) {
      throw new ApiError(
        'forbidden',
        `${field}: ${shown} is outside the allowed folders (${this.roots.join(', ')})`,
        field,
      );
    }
  }

  private absolute(field: string, p: string): string {
    if (!path.isAbsolute(p)) {
      throw new ApiError('invalid', `${field}: ${p} must be an absolute path`, field);
    }
    return path.resolve(p);
  }

  /**
   * The shared part of {@link inputFile} and {@link inputDir}: absolute, allowed, exists, and
   * its real path (symlinks resolved) allowed too.
   * @param what - "file" or "folder", for the not-found message
   * @returns the normalised absolute path and the real path
   */
  private async existingInput(
    p: string,
    field: string,
    what: 'file' | 'folder',
  ): Promise<{ abs: string; real: string }> {
    const abs = this.absolute(field, p);
    await this.checkRoots(field, p, abs);
    let real: string;
    try {
      real = await realpath(abs);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT' || errnoOf(err) === 'ENOTDIR') {
        throw new ApiError('not-found', `${field}: ${p}: no such ${what}`, field);
      }
      throw new ApiError('forbidden', `${field}: ${p}: cannot be accessed`, field);
    }
    await this.checkRoots(field, p, real);
    return { abs, real };
  }

  /**
   * An input file: absolute, allowed, exists, a regular file, readable.
   * @returns the normalised absolute path
   * @throws ApiError invalid / forbidden / not-found naming `field` and the path
   */
  async inputFile(p: string, field: string): Promise<string> {
    const { abs, real } = await this.existingInput(p, field, 'file');
    const st = await stat(real);
    if (!st.isFile()) {
      throw new ApiError(
        'invalid',
        `${field}: ${p} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}, not a file`,
        field,
      );
    }
    try {
      await access(real, constants.R_OK);
    } catch {
      throw new ApiError('forbidden', `${field}: ${p} is not readable`, field);
    }
    return abs;
  }

  /**
   * An input folder: absolute, allowed, exists, a folder, readable and listable.
   * @returns the normalised absolute path
   * @throws ApiError invalid / forbidden / not-found naming `field` and the path
   */
  async inputDir(p: string, field: string): Promise<string> {
    const { abs, real } = await this.existingInput(p, field, 'folder');
    if (!(await stat(real)).isDirectory()) {
      throw new ApiError('invalid', `${field}: ${p} is a file, not a folder`, field);
    }
    try {
      await access(real, constants.R_OK | constants.X_OK);
    } catch {
      throw new ApiError('forbidden', `${field}: ${p} is not readable`, field);
    }
    return abs;
  }

  /**
   * An output folder: absolute, allowed, and either a writable folder or creatable (its nearest
   * existing ancestor is a writable folder).
   * @returns the normalised absolute path and whether it exists now
   * @throws ApiError invalid / forbidden naming `field` and the path
   */
  async outputDir(p: string, field: string): Promise<{ dir: string; exists: boolean }> {
    const abs = this.absolute(field, p);
    await this.checkRoots(field, p, abs);
    let existing = abs;
    for (;;) {
      try {
        const st = await stat(existing);
        if (!st.isDirectory()) {
          const what = existing === abs ? `${p} is a file` : `${existing} (in ${p}) is a file`;
          throw new ApiError('invalid', `${field}: ${what}, not a folder`, field);
        }
        break;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        if (errnoOf(err) !== 'ENOENT') {
          throw new ApiError('forbidden', `${field}: ${p}: cannot be accessed`, field);
        }
        const parent = path.dirname(existing);
        if (parent === existing) throw new ApiError('not-found', `${field}: ${p}: no such folder`);
        existing = parent;
      }
    }
    await this.checkRoots(field, p, await realpath(existing));
    try {
      await access(existing, constants.W_OK);
    } catch {
      const where = existing === abs ? p : `${existing} (to create ${p})`;
      throw new ApiError('forbidden', `${field}: ${where} is not writable`, field);
    }
    return { dir: abs, exists: existing === abs };
  }
}
