/**
 * Reads everything the catalog records about one image file: header (kind, size), EXIF and the
 * thumbnail (written atomically, named by content hash, BEFORE any row refers to it).
 */
import { existsSync } from 'node:fs';
import { CancelledError, ImageReadError } from '../../core/errors.js';
import { readExposureInfo, type ExposureInfo } from '../../core/exif/read-exif.js';
import { writeFileAtomic } from '../../core/io/index.js';
import type { FileFacts } from './photo-store.js';
import { probeImage } from './probe-image.js';
import { renderThumbnail } from './thumbnail.js';
import type { PhotoExif } from './types.js';

/** File identity already established by the caller (stat + streamed hash). */
export interface FileIdentity {
  readonly path: string;
  readonly contentHash: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

async function exifOf(file: string): Promise<ExposureInfo | undefined> {
  try {
    return await readExposureInfo(file);
  } catch {
    return undefined; // no EXIF is normal (PNG, some TIFFs); decoding decides if it is corrupt
  }
}

function exifJson(e: ExposureInfo | undefined): PhotoExif {
  if (!e) return {};
  const { exposureTime, fNumber, iso, exposureBias, lensModel, orientation } = e;
  return { exposureTime, fNumber, iso, exposureBias, lensModel, orientation };
}

/**
 * Probes, reads EXIF and makes the thumbnail of one file. An unreadable image is not an error
 * of this function: it comes back as `error` (the message names the file) so the batch goes on.
 * @param id - the file's path (absolute), hash, size and modification time
 * @param thumbnailPath - where the thumbnail goes; reused when it already exists (content-addressed)
 * @throws CancelledError when `signal` is aborted; file-system errors writing the thumbnail
 */
export async function readFileFacts(
  id: FileIdentity,
  thumbnailPath: string,
  signal?: AbortSignal,
): Promise<FileFacts> {
  try {
    const probe = await probeImage(id.path);
    const exif = probe.decoder === 'sharp' ? await exifOf(id.path) : undefined;
    if (!existsSync(thumbnailPath)) {
      const jpeg = await renderThumbnail(id.path, probe, signal);
      if (signal?.aborted) throw new CancelledError();
      await writeFileAtomic(thumbnailPath, jpeg);
    }
    return {
      ...id,
      image: {
        kind: probe.kind,
        width: probe.width,
        height: probe.height,
        thumbnailPath,
        captureTime: exif?.dateTimeOriginal,
        captureTimeMs: exif?.captureTimeMs,
        cameraMake: exif?.make,
        cameraModel: exif?.model,
        exif: exifJson(exif),
      },
    };
  } catch (err) {
    if (err instanceof ImageReadError) return { ...id, error: err.message };
    throw err;
  }
}
