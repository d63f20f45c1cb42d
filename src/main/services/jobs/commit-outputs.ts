/**
 * Output naming and commit of export jobs: names from a file-name pattern (validated, distinct,
 * not already present in the output folder) and a commit that never overwrites a file: each
 * staged file is hard-linked into place (the link fails if the name exists; copy with
 * COPYFILE_EXCL where links are not supported), so a finished job adds files and replaces none.
 */
import { constants } from 'node:fs';
import { copyFile, link, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ImageWriteError } from '../../../core/errors.js';
import {
  duplicateName,
  expandPattern,
  patternProblem,
  type PatternToken,
  type PatternValues,
} from '../../../shared/api/file-pattern.js';
import { ApiError } from '../../../shared/api/index.js';

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    return errnoOf(err) !== 'ENOENT';
  }
}

/**
 * The output names of a job: `pattern` expanded for each entry of `values`, plus `.ext`.
 * @param field - request field named in errors (e.g. "pattern")
 * @param extra - names the job writes besides these (e.g. a merged HDR), checked together
 * @throws ApiError invalid naming `field`: bad syntax, two outputs with one name, or a name that
 *   already exists in `outDir` (files are never overwritten)
 */
export async function plannedNames(
  field: string,
  pattern: string,
  allowed: readonly PatternToken[],
  values: readonly PatternValues[],
  ext: string,
  outDir: string,
  extra: readonly string[] = [],
): Promise<string[]> {
  const problem = patternProblem(pattern, allowed);
  if (problem) throw new ApiError('invalid', `${field}: "${pattern}" ${problem}`, field);
  const names = values.map((v) => expandPattern(pattern, v, ext));
  const dup = duplicateName([...names, ...extra]);
  if (dup) {
    const hint = values.length > 1 ? ` (add {${allowed.includes('ev') ? 'ev' : 'index'}})` : '';
    throw new ApiError(
      'invalid',
      `${field}: "${pattern}" gives two outputs the name ${dup}${hint}`,
      field,
    );
  }
  for (const name of names) {
    if (await exists(path.join(outDir, name))) {
      throw new ApiError(
        'invalid',
        `${field}: ${name} already exists in ${outDir}; choose another pattern or folder (files are never overwritten)`,
        field,
      );
    }
  }
  return names;
}

/**
 * Moves staged files to their final paths without overwriting anything; on failure, the files
 * already placed by this call are removed again.
 * @throws ImageWriteError naming the file when a target exists or cannot be written
 */
export async function commitNoClobber(
  moves: readonly { readonly from: string; readonly to: string }[],
): Promise<void> {
  const placed: string[] = [];
  try {
    for (const { from, to } of moves) {
      try {
        await link(from, to);
      } catch (err) {
        if (errnoOf(err) === 'EEXIST') {
          throw new ImageWriteError(to, 'already exists; refusing to overwrite it');
        }
        try {
          await copyFile(from, to, constants.COPYFILE_EXCL);
        } catch (err2) {
          if (errnoOf(err2) === 'EEXIST') {
            throw new ImageWriteError(to, 'already exists; refusing to overwrite it');
          }
          throw new ImageWriteError(
            to,
            `cannot move the finished file into place: ${(err2 as Error).message}`,
          );
        }
      }
      placed.push(to);
    }
  } catch (err) {
    for (const f of placed) await rm(f, { force: true });
    throw err;
  }
  for (const { from } of moves) await unlink(from).catch(() => undefined);
}
