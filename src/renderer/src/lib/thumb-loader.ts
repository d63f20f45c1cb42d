/**
 * Thumbnails for the grid: fetched lazily (newest request first, a few at a time), cached with a
 * byte budget (least recently used dropped), and dropped from the queue when their tile scrolls
 * away before the request starts.
 */
import type { ImagePayload } from '../../../shared/api/image-wire.js';

type Fetch = (id: number, maxSize: number) => Promise<ImagePayload>;

interface Waiter {
  readonly key: string;
  readonly id: number;
  readonly size: number;
  readonly resolve: (f: ImagePayload) => void;
  readonly reject: (e: unknown) => void;
  cancelled: boolean;
}

/** Lazy, cached thumbnail fetching. */
export class ThumbLoader {
  private readonly cache = new Map<string, ImagePayload>();
  private bytes = 0;
  private queue: Waiter[] = [];
  private running = 0;

  constructor(
    private readonly fetch: Fetch,
    private readonly concurrency = 6,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** Drops every cached thumbnail (the library changed). */
  clear(): void {
    this.cache.clear();
    this.bytes = 0;
  }

  /** A cached thumbnail, or undefined. */
  peek(id: number, size: number): ImagePayload | undefined {
    return this.cache.get(`${id}:${size}`);
  }

  /**
   * Requests a thumbnail.
   * @returns the frame, and a cancel function (the promise then never settles)
   */
  get(id: number, size: number): { promise: Promise<ImagePayload>; cancel: () => void } {
    const key = `${id}:${size}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return { promise: Promise.resolve(hit), cancel: () => undefined };
    }
    let waiter: Waiter | null = null;
    const promise = new Promise<ImagePayload>((resolve, reject) => {
      waiter = { key, id, size, resolve, reject, cancelled: false };
      this.queue.push(waiter);
    });
    this.pump();
    return {
      promise,
      cancel: () => {
        if (waiter) waiter.cancelled = true;
      },
    };
  }

  private store(key: string, f: ImagePayload): void {
    if (this.cache.has(key)) return;
    this.cache.set(key, f);
    this.bytes += f.data.byteLength;
    for (const [k, v] of this.cache) {
      if (this.bytes <= this.maxBytes) break;
      this.cache.delete(k);
      this.bytes -= v.data.byteLength;
    }
  }

  private pump(): void {
    this.queue = this.queue.filter((w) => !w.cancelled);
    while (this.running < this.concurrency && this.queue.length > 0) {
      const w = this.queue.pop() as Waiter; // newest first: what was scrolled to last
      const hit = this.cache.get(w.key);
      if (hit) {
        w.resolve(hit);
        continue;
      }
      this.running++;
      this.fetch(w.id, w.size)
        .then((f) => {
          this.store(w.key, f);
          if (!w.cancelled) w.resolve(f);
        })
        .catch((err: unknown) => {
          if (!w.cancelled) w.reject(err);
        })
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
