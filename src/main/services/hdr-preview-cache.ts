/**
 * Decoded HDR images at preview size, by file and size, so repeated tone-mapping calls (slider
 * drags) skip decoding and downsizing. Entries are invalidated when the file's mtime or size
 * changes and evicted least-recently-used beyond a byte budget.
 */
import { stat } from 'node:fs/promises';
import { ImageReadError } from '../../core/errors.js';
import type { HdrImage } from '../../core/image/image.js';
import { resize } from '../../core/image/resize.js';
import { readImage } from '../../core/io/index.js';
import { ApiError } from '../../shared/api/index.js';

interface Entry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly image: Promise<HdrImage>;
  bytes: number;
}

/** A cached image and whether it came from the cache, with the time spent loading it. */
export interface CachedHdr {
  readonly image: HdrImage;
  readonly hit: boolean;
  /** Decode + downsize time, ms (0 on a hit). */
  readonly loadMs: number;
}

/**
 * The size that fits inside `maxSize`×`maxSize`, aspect kept, never enlarged.
 * @returns integer width and height ≥ 1
 */
export function fitInside(
  width: number,
  height: number,
  maxSize: number,
): { width: number; height: number } {
  const s = Math.min(1, maxSize / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * s)),
    height: Math.max(1, Math.round(height * s)),
  };
}

/** LRU cache of downsized HDR images. */
export class HdrPreviewCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  /** @param budgetBytes - most bytes of pixels kept (default 256 MiB) */
  constructor(private readonly budgetBytes = 256 * 1024 * 1024) {}

  /** Bytes of pixels held now. */
  get bytes(): number {
    return this.total;
  }

  /**
   * The HDR image of `file` downsized to fit `maxSize` (area average in linear light).
   * @throws ApiError invalid for an LDR file; ImageReadError for unreadable files
   */
  async get(file: string, maxSize: number): Promise<CachedHdr> {
    let st;
    try {
      st = await stat(file);
    } catch {
      throw new ImageReadError(file, 'file not found');
    }
    const key = `${maxSize}|${file}`;
    const old = this.entries.get(key);
    if (old && old.mtimeMs === st.mtimeMs && old.size === st.size) {
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, old);
      return { image: await old.image, hit: true, loadMs: 0 };
    }
    if (old) this.drop(key, old);
    const t0 = performance.now();
    const entry: Entry = {
      mtimeMs: st.mtimeMs,
      size: st.size,
      image: this.load(file, maxSize),
      bytes: 0,
    };
    this.entries.set(key, entry);
    let image: HdrImage;
    try {
      image = await entry.image;
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
    if (this.entries.get(key) === entry && entry.bytes === 0) {
      entry.bytes = image.data.byteLength;
      this.total += entry.bytes;
      this.evict();
    }
    return { image, hit: false, loadMs: performance.now() - t0 };
  }

  private async load(file: string, maxSize: number): Promise<HdrImage> {
    const img = await readImage(file);
    if (img.kind !== 'hdr') {
      throw new ApiError(
        'invalid',
        `path: ${file} is an LDR image; tone mapping needs an HDR file (.exr, .hdr, float TIFF)`,
        'path',
      );
    }
    const { width, height } = fitInside(img.width, img.height, maxSize);
    return width === img.width && height === img.height ? img : resize(img, width, height, 'area');
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.total <= this.budgetBytes || this.entries.size <= 1) return;
      if (entry.bytes > 0) this.drop(key, entry);
    }
  }

  /** Empties the cache. */
  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}
