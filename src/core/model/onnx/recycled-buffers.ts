/**
 * Float32 buffers handed back after use and kept for the next caller that needs one of that
 * length: tile buffers that travel to an ONNX Runtime worker and back are reused instead of
 * allocated (and zeroed, and faulted in page by page) for every tile. Plain buffers and views of
 * SharedArrayBuffers (which worker threads read and write in place, ort-worker-pool.ts) are kept
 * apart, each kind at one length at a time (the tiles of one bracket) and at most `perLength` of
 * them, so what stays resident between brackets is bounded by one bracket's tiles in flight.
 */
export class RecycledBuffers {
  private readonly shelves = {
    plain: { length: -1, kept: [] as Float32Array[] },
    shared: { length: -1, kept: [] as Float32Array[] },
  };

  /** @param perLength - buffers kept of each kind; more are left to the garbage collector */
  constructor(private readonly perLength = 16) {}

  /**
   * A buffer of `length` floats: a recycled one (holding whatever it held before) or a new one.
   * @param length - floats, ≥ 0
   * @param shared - a view of a SharedArrayBuffer (default: a plain buffer)
   */
  take(length: number, shared = false): Float32Array {
    const shelf = shared ? this.shelves.shared : this.shelves.plain;
    const kept = length === shelf.length ? shelf.kept.pop() : undefined;
    if (kept) return kept;
    return shared ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length);
  }

  /**
   * Keeps the whole buffer under `view` for a later {@link take} of its kind; the caller must
   * not use it again.
   */
  give(view: Float32Array): void {
    const whole =
      view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
        ? view
        : new Float32Array(view.buffer, 0, Math.floor(view.buffer.byteLength / 4));
    if (whole.length === 0) return; // detached (moved to another thread)
    const shelf =
      whole.buffer instanceof SharedArrayBuffer ? this.shelves.shared : this.shelves.plain;
    if (whole.length !== shelf.length) {
      // another tile size: the kept buffers belong to an earlier bracket
      shelf.length = whole.length;
      shelf.kept = [];
    }
    if (shelf.kept.length < this.perLength && !shelf.kept.some((b) => b.buffer === whole.buffer)) {
      shelf.kept.push(whole);
    }
  }

  /** Buffers kept, of both kinds (for tests and reports). */
  get size(): number {
    return this.shelves.plain.kept.length + this.shelves.shared.kept.length;
  }

  /** Drops every kept buffer. */
  clear(): void {
    this.shelves.plain.kept = [];
    this.shelves.shared.kept = [];
  }
}
