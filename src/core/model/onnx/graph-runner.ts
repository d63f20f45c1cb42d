/**
 * How the ONNX Runtime tile model runs its three graphs: in this thread (one session resident
 * at a time, {@link ExclusiveSessions}) or in a pool of worker threads (ort-worker-pool.ts).
 */
import type * as Ort from 'onnxruntime-node';
import type { FixedShapeGraphs } from './fixed-shapes.js';
import { HeldGraphs } from './fixed-shapes.js';
import { ExclusiveSessions } from './ort-sessions.js';

/** The graphs of a multi-exposure model, by role. */
export type GraphKey = 'encode' | 'up' | 'down';

/** A float32 graph input. */
export interface FeedTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
  /**
   * `data`'s memory holds codes instead, to be turned into the feed by a per-code table: n
   * interleaved RGB tiles of 8- or 16-bit codes (as many as the feed's samples, from `data`'s
   * first byte) for a feed of space-to-depth planes [n,12,h/2,w/2] (frame-layout.ts,
   * codesToPlanes). Only worker threads take such feeds (ort-worker-source.ts).
   */
  readonly codes?: CodedFeed;
}

/** How a feed's memory holds codes: their bit depth and the value of every code. */
export interface CodedFeed {
  readonly bitDepth: 8 | 16;
  /** 256 or 65536 values */
  readonly table: Float32Array;
}

/**
 * Where a runner may write a graph's output: `data` of the output's `dims`; with
 * `depthToSpace`, an output of space-to-depth planes [n,12,h/2,w/2] is written as the NHWC frames
 * [n,h,w,3] they hold (frame-layout.ts).
 */
export interface OutputTarget extends FeedTensor {
  readonly depthToSpace?: boolean;
}

/** Runs graphs by key; `concurrency` runs may be in flight at once to good effect. */
export interface GraphRunner {
  /** runs that can usefully be in flight at once (1: one after the other) */
  readonly concurrency: number;
  /**
   * how feeds are handled: 'borrow' reads them during the call only; 'take' keeps their
   * buffers (moved to another thread, or read there in shared memory and reused), so callers
   * pass buffers they will not reuse
   */
  readonly feeds: 'borrow' | 'take';
  /**
   * Runs graph `key` on `feeds` and returns its float32 output named `output`.
   * @param into - where the output may be written, when the runner can: it then resolves with
   *   `into.data`; otherwise with a buffer of its own, in the graph's layout. It may be a feed's
   *   buffer: runners read their feeds before they write it.
   * @throws when ONNX Runtime rejects the feeds or the graph has no such float32 output
   */
  run(
    key: GraphKey,
    feeds: Readonly<Record<string, FeedTensor>>,
    output: string,
    into?: OutputTarget,
  ): Promise<Float32Array>;
  /** Releases every session (and thread). */
  release(): Promise<void>;
}

/**
 * Runs the graphs in this thread, one session resident at a time. Creates (and validates) every
 * session once before returning.
 * @param fixed - when given, each run goes to its graph specialised to the feeds' dims
 *   (fixed-shapes.ts)
 * @throws an Error naming a graph ONNX Runtime rejects
 */
export async function inProcessRunner(
  ort: typeof Ort,
  graphs: Readonly<Record<GraphKey, Uint8Array>>,
  options: Ort.InferenceSession.SessionOptions,
  fixed: FixedShapeGraphs<GraphKey> | null = null,
): Promise<GraphRunner> {
  const sessions = new ExclusiveSessions<string>(ort, graphs, options);
  await sessions.validate('encode');
  const held = new HeldGraphs();
  const graphFor = async (key: GraphKey, feeds: Readonly<Record<string, FeedTensor>>) => {
    if (!fixed) return key;
    const { name, bytes } = fixed.get(key, feeds);
    const { added, drop } = held.hold(name);
    if (drop !== undefined) await sessions.forget(drop);
    if (added) sessions.define(name, bytes);
    return name;
  };
  return {
    concurrency: 1,
    feeds: 'borrow',
    async run(key, feeds, output) {
      const tensors: Record<string, Ort.Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) {
        if (f.codes)
          throw new Error(`ONNX feed ${name}: codes are turned into planes by workers only`);
        tensors[name] = new ort.Tensor('float32', f.data, f.dims);
      }
      const graph = await graphFor(key, feeds);
      const out = (await sessions.run(graph, tensors))[output];
      if (!out || !(out.data instanceof Float32Array)) {
        throw new Error(`ONNX graph ${graph}: no float32 output ${output}`);
      }
      return out.data;
    },
    release: () => sessions.release(),
  };
}
