/**
 * ONNX Runtime sessions of which only the one in use stays resident. Each CPU session keeps its
 * own memory arena, sized by the largest tile it ran (≈ 130–150 bytes per tile pixel for a lite
 * render graph, more for the encoder), so three sessions held together cost about three times
 * the memory one needs. A bracket uses its graphs one after the other (the encoder over every
 * tile, then one renderer per EV), so a session is released as soon as another one is asked
 * for and it has no run in flight, and created again (a few milliseconds) when needed.
 */
import type * as Ort from 'onnxruntime-node';

type OrtModule = typeof Ort;

interface Slot {
  readonly bytes: Uint8Array;
  session: Promise<Ort.InferenceSession> | null;
  /** runs in flight on this session */
  busy: number;
}

/** Named graphs run through sessions created on demand; idle ones other than the last used are released. */
export class ExclusiveSessions<K extends string> {
  private readonly slots: Map<K, Slot>;
  private current: K | null = null;

  /**
   * @param graphs - serialised ModelProto per name
   * @param options - session options for every session
   */
  constructor(
    private readonly ort: OrtModule,
    graphs: Readonly<Record<K, Uint8Array>>,
    private readonly options: Ort.InferenceSession.SessionOptions,
  ) {
    this.slots = new Map(
      (Object.keys(graphs) as K[]).map((k) => [k, { bytes: graphs[k], session: null, busy: 0 }]),
    );
  }

  /**
   * Creates every session once and keeps only `keep`, so that a graph ONNX Runtime rejects is
   * an error now rather than at its first run.
   * @throws an Error naming the first graph ONNX Runtime rejects, with its message
   */
  async validate(keep: K): Promise<void> {
    for (const key of this.slots.keys()) {
      this.current = key;
      try {
        await this.session(key);
      } catch (err) {
        this.current = null;
        await this.releaseIdle();
        throw new Error(`ONNX graph ${key}: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    }
    this.current = keep;
    await this.releaseIdle();
  }

  /** Runs graph `key` (after releasing the idle sessions of other graphs). */
  async run(
    key: K,
    feeds: Ort.InferenceSession.FeedsType,
  ): Promise<Ort.InferenceSession.ReturnType> {
    const slot = this.slot(key);
    slot.busy++;
    try {
      if (this.current !== key) {
        this.current = key;
        await this.releaseIdle();
      }
      return await (await this.session(key)).run(feeds);
    } finally {
      slot.busy--;
      if (this.current !== key) await this.releaseIdle();
    }
  }

  /** Adds graph `key` (e.g. one specialised to fixed shapes); its session is made when run. */
  define(key: K, bytes: Uint8Array): void {
    if (!this.slots.has(key)) this.slots.set(key, { bytes, session: null, busy: 0 });
  }

  /** Drops graph `key` unless it is running, releasing its session (the next run switches). */
  async forget(key: K): Promise<void> {
    const slot = this.slots.get(key);
    if (!slot || slot.busy > 0) return;
    this.slots.delete(key);
    if (this.current === key) this.current = null;
    await slot.session?.then((s) => s.release()).catch(() => undefined);
  }

  /** Names of the graphs whose sessions are resident now (for tests and diagnostics). */
  resident(): K[] {
    return [...this.slots].filter(([, s]) => s.session !== null).map(([k]) => k);
  }

  /** Releases every session (none may be running). */
  async release(): Promise<void> {
    this.current = null;
    await this.releaseIdle();
  }

  private slot(key: K): Slot {
    const slot = this.slots.get(key);
    if (!slot) throw new RangeError(`no ONNX graph named ${key}`);
    return slot;
  }

  private session(key: K): Promise<Ort.InferenceSession> {
    const slot = this.slot(key);
    if (!slot.session) {
      const created = this.ort.InferenceSession.create(slot.bytes, this.options);
      slot.session = created;
      created.catch(() => {
        if (slot.session === created) slot.session = null;
      });
    }
    return slot.session;
  }

  /** Releases the sessions that are neither the current graph's nor running. */
  private async releaseIdle(): Promise<void> {
    const done: Promise<void>[] = [];
    for (const [key, slot] of this.slots) {
      if (key === this.current || slot.busy > 0 || !slot.session) continue;
      const session = slot.session;
      slot.session = null;
      done.push(session.then((s) => s.release()).catch(() => undefined));
    }
    await Promise.all(done);
  }
}
