/** Streamed SHA-256 of a file (bounded memory whatever the file size). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CancelledError } from '../../core/errors.js';

/**
 * SHA-256 of a file's bytes, read in 1 MiB chunks.
 * @param file - path of the file
 * @param signal - aborting stops the read and rejects with CancelledError
 * @returns 64 lower-case hex digits
 * @throws the file-system error (ENOENT, EACCES…) when the file cannot be read
 */
export async function hashFile(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const abort = (): void => {
    stream.destroy(new CancelledError());
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    if (signal?.aborted) throw new CancelledError();
    for await (const chunk of stream) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    signal?.removeEventListener('abort', abort);
    stream.destroy();
  }
}
