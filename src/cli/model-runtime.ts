import {
  BACKEND_ORDER,
  INFERENCE_ORDER,
  initInferenceBackend,
  PREFERENCE_IDS,
  type BackendId,
  type BackendInfo,
  type InferenceInfo,
} from '../core/model/runtime/index.js';
import type { ParsedArgs } from './command.js';
import { stringOption } from './frames.js';
import { UsageError } from './usage-error.js';

/** The `--backend` / `--threads` options of every model command. */
export const RUNTIME_OPTIONS = {
  backend: { type: 'string' },
  threads: { type: 'string' },
} as const;

/** Usage lines for {@link RUNTIME_OPTIONS}. */
export const RUNTIME_USAGE = `  --backend ID         engine to try first: onnxruntime (or onnx) or a TensorFlow.js backend
                       (${BACKEND_ORDER.join(', ')}); inference order: ${INFERENCE_ORDER.join(', ')}
  --threads N          wasm and ONNX Runtime threads (default: logical cores)`;

/** The TensorFlow.js backend (training) and the inference engine chosen by {@link startRuntime}. */
export type RuntimeSelection = BackendInfo & { readonly inference: InferenceInfo };

/**
 * Parses `--backend` (a tfjs backend id, 'onnxruntime' or 'onnx') and `--threads`.
 * @throws UsageError for an unknown backend or a thread count that is not a positive integer
 */
export function parseRuntimeArgs(args: ParsedArgs): {
  prefer: BackendId | 'onnxruntime' | undefined;
  threads: number | undefined;
} {
  const raw = stringOption(args, 'backend');
  if (raw !== undefined && !PREFERENCE_IDS.includes(raw)) {
    throw new UsageError(`--backend must be one of ${PREFERENCE_IDS.join(', ')}`);
  }
  const prefer = raw === 'onnx' ? 'onnxruntime' : (raw as BackendId | 'onnxruntime' | undefined);
  const rawThreads = stringOption(args, 'threads');
  let threads: number | undefined;
  if (rawThreads !== undefined) {
    threads = Number(rawThreads);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new UsageError(`--threads must be a positive integer, got "${rawThreads}"`);
    }
  }
  return { prefer, threads };
}

/**
 * Initialises the model runtime from `--backend` / `--threads` (env variables win): the
 * TensorFlow.js backend and the inference engine (ONNX Runtime when it loads, see
 * runtime/inference-backend.ts), which the tiled inference then uses.
 * @returns the tfjs backend's info with the inference engine's under `inference`
 */
export async function startRuntime(args: ParsedArgs): Promise<RuntimeSelection> {
  const inference = await initInferenceBackend(parseRuntimeArgs(args));
  return { ...inference.tfjs, inference };
}

/** Parses an EV list such as "-3,-2,-1,1,2,3" or "-1.5,+0.7". */
export function parseEvList(raw: string): number[] {
  const evs = raw.split(',').map((s) => s.trim());
  const out: number[] = [];
  for (const s of evs) {
    const v = Number(s);
    if (s === '' || !Number.isFinite(v) || Math.abs(v) > 4) {
      throw new UsageError(`--ev: "${s}" is not an EV offset in [-4, +4]`);
    }
    out.push(v);
  }
  return out;
}
