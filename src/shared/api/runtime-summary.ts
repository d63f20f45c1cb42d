/**
 * What the About panels (Electron's About dialog, the renderer's About box) say about the model
 * runtime: which engine runs inference, which TensorFlow.js backend trains, and why every other
 * engine is not used — the same facts `bracketeer doctor` prints.
 */
import type { AppInfo } from './types.js';

/** The runtime as lines of text. */
export interface RuntimeSummary {
  /**
   * e.g. "onnxruntime (cpu provider, 2 threads, tiles in parallel on 2 workers)", or
   * "unavailable: <error>"
   */
  readonly inference: string;
  /** the TensorFlow.js backend, e.g. "wasm (TensorFlow.js, SIMD)"; null when the runtime did not start */
  readonly training: string | null;
  /** one line per engine not used: "tfjs-node-gpu: onnxruntime-node is not installed" */
  readonly notUsed: readonly string[];
  /** the runtime's own notes (e.g. how the wasm threads were set up) */
  readonly notes: readonly string[];
}

const threads = (n: number): string => `${n} thread${n === 1 ? '' : 's'}`;

/**
 * Summarises `app.info`'s runtime for people.
 * @param info - the runtime and its start-up error from `app.info`
 */
export function runtimeSummary(info: Pick<AppInfo, 'runtime' | 'runtimeError'>): RuntimeSummary {
  const r = info.runtime;
  if (!r) {
    return {
      inference: `unavailable: ${info.runtimeError ?? 'the model runtime did not start'}`,
      training: null,
      notUsed: [],
      notes: [],
    };
  }
  const onTfjs = r.inference === r.backend;
  return {
    inference: onTfjs
      ? `${r.inference} (TensorFlow.js, ${threads(r.threads)})`
      : `${r.inference} (${r.provider ? `${r.provider} provider, ` : ''}${threads(r.threads)}${r.workers > 0 ? `, tiles in parallel on ${r.workers} workers` : ''})`,
    training: `${r.backend} (TensorFlow.js${r.simd ? ', SIMD' : ''})`,
    notUsed: r.skipped.map((s) => `${s.name}: ${s.reason}`),
    notes: r.notes,
  };
}
