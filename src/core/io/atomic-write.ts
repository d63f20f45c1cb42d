import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ImageWriteError } from '../errors.js';
import { oneLine } from './limits.js';

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'the directory does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'the path is a directory';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    default:
      return oneLine(err);
  }
}

/**
 * Writes `bytes` to `file` atomically: a temporary file in the same directory is written,
 * then renamed over the target. On failure the temporary file is removed and
 * {@link ImageWriteError} is thrown; an existing target is left untouched.
 * @param bytes - the file, or its consecutive parts (written in order, never joined in memory)
 */
export async function writeFileAtomic(
  file: string,
  bytes: Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let created = false;
  try {
    const handle = await open(tmp, 'wx');
    created = true;
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    created = false;
  } catch (err) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw new ImageWriteError(file, reasonOf(err));
  }
}
