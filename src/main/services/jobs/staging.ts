/**
 * Output staging of a job: files are written to a hidden folder inside the output folder and
 * moved into place only when the whole job succeeded, so a cancelled or failed job leaves nothing
 * behind (not even the output folder, when the job created it).
 */
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { ImageWriteError } from '../../../core/errors.js';

/** A job's staging folder. */
export interface Staging {
  /** The hidden folder the job writes to. */
  readonly dir: string;
  /** Moves files (paths inside `dir`) to the output folder; returns their final paths. */
  commit(files: readonly string[]): Promise<string[]>;
  /** Removes the staging folder and the output folders the job created (when empty). */
  discard(): Promise<void>;
}

/**
 * Creates `<outDir>/.bracketeer-<jobId>.partial/` (and `outDir` if missing).
 * @throws ImageWriteError when the folders cannot be created
 */
export async function createStaging(outDir: string, jobId: string): Promise<Staging> {
  let firstCreated: string | undefined;
  try {
    firstCreated = await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new ImageWriteError(outDir, `cannot create the folder: ${(err as Error).message}`);
  }
  const dir = path.join(outDir, `.bracketeer-${jobId}.partial`);
  try {
    await mkdir(dir);
  } catch (err) {
    throw new ImageWriteError(dir, `cannot create the staging folder: ${(err as Error).message}`);
  }

  async function removeCreatedFolders(): Promise<void> {
    if (!firstCreated) return;
    // Remove outDir and the parents this job created, innermost first, only while empty.
    let d = outDir;
    for (;;) {
      try {
        await rmdir(d);
      } catch {
        return;
      }
      if (d === firstCreated) return;
      const parent = path.dirname(d);
      if (parent === d) return;
      d = parent;
    }
  }

  return {
    dir,
    async commit(files) {
      const moved: string[] = [];
      for (const f of files) {
        const target = path.join(outDir, path.basename(f));
        try {
          await rename(f, target);
        } catch (err) {
          throw new ImageWriteError(
            target,
            `cannot move the finished file into place: ${(err as Error).message}`,
          );
        }
        moved.push(target);
      }
      await rm(dir, { recursive: true, force: true });
      return moved;
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
      await removeCreatedFolders();
    },
  };
}
