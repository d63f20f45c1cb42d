/**
 * Float32 buffers handed back after use and kept for the next caller that needs one of that
 * length: tile buffers that travel to an ONNX Runtime worker and back are reused instead of
 * allocated (and zeroed, and faulted in page by page) for every tile. Buffers of one length are
 * kept at a time (the tiles of one bracket), at most `perLength` of them, so what stays resident
 * between brackets is bounded by one bracket's tiles in flight.
 */
export class RecycledBuffers {
  /** the length of the kept buffers (one length at a time) */
  private length = -1;
  private kept: Float32Array[] = [];

  /** @param perLength - buffers kept; more are left to the garbage collector */
  constructor(private readonly perLength = 16) {}

  /**
   * A buffer of `length` floats: a recycled one (holding whatever it held before) or a new one.
   * @param length - floats, ≥ 0
   */
  take(length: number): Float32Array {
    return (length === this.length ? this.kept.pop() : undefined) ?? new Float32Array(length);
  }

  /** Keeps the whole buffer under `view` for a later {@link take}; the caller must not use it again. */
  give(view: Float32Array): void {
    const whole =
      view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
        ? view
        : new Float32Array(view.buffer, 0, Math.floor(view.buffer.byteLength / 4));
    if (whole.length === 0) return; // detached (moved to another thread)
    if (whole.length !== this.length) {
      // another tile size: the kept buffers belong to an earlier bracket
      this.length = whole.length;
      this.kept = [];
    }
    if (this.kept.length < this.perLength && !this.kept.some((b) => b.buffer === whole.buffer)) {
      this.kept.push(whole);
    }
  }

  /** Buffers kept (for tests and reports). */
  get size(): number {
    return this.kept.length;
  }

  /** Drops every kept buffer. */
  clear(): void {
    this.kept = [];
  }
}
