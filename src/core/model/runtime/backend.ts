/**
 * TensorFlow.js backend selection.
 *
 * Order: @tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node (optional dependencies, used when
 * they load), tfjs wasm with SIMD and threads (the embedded default), tfjs cpu. Each backend
 * that is not used is reported with the reason. `BRACKETEER_BACKEND` (or `prefer`) moves one
 * backend to the front; `BRACKETEER_THREADS` (or `threads`) sets the wasm thread count.
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { InvalidInputError } from '../../errors.js';
import { registerMissingGradients } from './gradients.js';
import { registerWasmTrainingKernels } from './wasm-train-kernels.js';
import {
  createThreadedWasmModule,
  isNode,
  MAX_WASM_THREADS,
  wasmPackageDir,
} from './wasm-threads.js';

/** Backend ids, in the default order of preference. */
export const BACKEND_ORDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
/** One of `BACKEND_ORDER`. */
export type BackendId = (typeof BACKEND_ORDER)[number];

/** The backend in use and why the others are not. */
export interface BackendInfo {
  /** backend id (see BACKEND_ORDER) */
  readonly name: BackendId;
  /** tfjs's own name for it ('tensorflow', 'wasm', 'cpu') */
  readonly tfName: string;
  /** compute threads (wasm: XNNPACK pool size; tfjs-node: logical cores; cpu: 1) */
  readonly threads: number;
  /** WebAssembly SIMD in use (wasm only) */
  readonly simd: boolean;
  /** backends tried or passed over, in order, with the reason */
  readonly skipped: readonly { name: BackendId; reason: string }[];
  /** notes, e.g. why wasm runs single-threaded */
  readonly notes: readonly string[];
}

/** Options for `initBackend`. */
export interface InitBackendOptions {
  /** try this backend first (overridden by env BRACKETEER_BACKEND); 'onnxruntime': none */
  readonly prefer?: BackendId | 'onnxruntime';
  /** wasm thread count, 1…8 (overridden by env BRACKETEER_THREADS); default: logical cores */
  readonly threads?: number;
}

let current: Promise<BackendInfo> | null = null;
/** Whether the loaded wasm binary is a SIMD build (the threaded build always is). */
let wasmSimd = false;

/**
 * The order in which backends are tried: `preferred` (if any) first, then the default order.
 * @throws InvalidInputError for an unknown backend id
 */
export function backendOrder(preferred?: string): BackendId[] {
  if (preferred === undefined || preferred === '') return [...BACKEND_ORDER];
  const p = preferred.trim().toLowerCase();
  if (!(BACKEND_ORDER as readonly string[]).includes(p)) {
    throw new InvalidInputError(
      `unknown backend '${preferred}' (expected one of ${BACKEND_ORDER.join(', ')})`,
    );
  }
  return [p as BackendId, ...BACKEND_ORDER.filter((b) => b !== p)];
}

/** Resolves the wasm thread count: explicit > env BRACKETEER_THREADS > logical cores, clamped to 1…8. */
export function resolveThreads(threads?: number): number {
  const env = isNode() ? process.env.BRACKETEER_THREADS : undefined;
  const fromEnv = env !== undefined && env !== '' ? Number(env) : NaN;
  let n = threads ?? (Number.isFinite(fromEnv) ? fromEnv : cpus().length);
  if (!Number.isFinite(n)) n = 1;
  return Math.min(MAX_WASM_THREADS, Math.max(1, Math.round(n)));
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] ?? String(e);
  if (e && typeof e === 'object' && 'message' in e)
    return String((e as { message: unknown }).message);
  return String(e);
}

async function tryNode(pkg: string): Promise<string | null> {
  try {
    // a variable specifier: the packages are optional and have no types here
    const spec: string = pkg;
    await import(spec);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      const msg = errorText(e);
      return msg.includes(pkg) ? 'not installed' : `failed to load: ${msg}`;
    }
    return `failed to load: ${errorText(e)}`;
  }
  if (!tf.findBackendFactory('tensorflow')) {
    return 'loaded, but registered with another copy of @tensorflow/tfjs-core';
  }
  if (!(await tf.setBackend('tensorflow'))) return 'backend failed to initialise';
  return null;
}

/** Threaded wasm; returns a reason string when it cannot be used (the stock backend is restored). */
async function tryThreadedWasm(threads: number): Promise<string | null> {
  if (!isNode()) return 'threaded loader is Node-only';
  const stockFactory = tf.findBackendFactory('wasm');
  try {
    tf.removeBackend('wasm');
    tfwasm.setThreadsCount(threads);
    tf.registerBackend(
      'wasm',
      async () => new tfwasm.BackendWasm((await createThreadedWasmModule(threads)) as never),
      2,
    );
    if (!(await tf.setBackend('wasm'))) throw new Error('initialisation failed');
    return null;
  } catch (e) {
    tf.removeBackend('wasm');
    if (stockFactory) tf.registerBackend('wasm', stockFactory, 2);
    tfwasm.setThreadsCount(-1);
    return errorText(e);
  }
}

async function tryWasm(threads: number, notes: string[]): Promise<string | null> {
  if (isNode()) {
    try {
      tfwasm.setWasmPaths(`${wasmPackageDir()}/dist/`);
    } catch {
      // already initialised once: paths are fixed
    }
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  wasmSimd = simd;
  let threadReason: string | null = threads > 1 ? null : 'one thread requested';
  if (threads > 1 && simd) {
    threadReason = await tryThreadedWasm(threads);
    if (threadReason === null) return null;
  } else if (!simd) {
    threadReason = 'no WebAssembly SIMD (the threaded build needs it)';
  }
  if (!(await tf.setBackend('wasm'))) return 'wasm backend failed to initialise';
  if (threads > 1) notes.push(`wasm runs single-threaded: ${threadReason}`);
  return null;
}

/** Preference values that name ONNX Runtime: no TensorFlow.js preference (see inference-backend.ts). */
export const ONNX_BACKEND_IDS: readonly string[] = ['onnxruntime', 'onnx'];

function isOnnxId(v: string | undefined): boolean {
  return v !== undefined && ONNX_BACKEND_IDS.includes(v.trim().toLowerCase());
}

async function select(opts: InitBackendOptions): Promise<BackendInfo> {
  const rawEnv = isNode() ? process.env.BRACKETEER_BACKEND : undefined;
  // ONNX Runtime is not a tfjs backend: preferring it leaves the tfjs order as it is
  const envPref = isOnnxId(rawEnv) ? undefined : rawEnv;
  const preferred =
    envPref !== undefined && envPref !== ''
      ? envPref
      : isOnnxId(rawEnv) || isOnnxId(opts.prefer)
        ? undefined
        : opts.prefer;
  const order = backendOrder(preferred);
  const threads = resolveThreads(opts.threads);
  const skipped: { name: BackendId; reason: string }[] = [];
  const notes: string[] = [];
  if (preferred)
    notes.push(`preferred backend: ${order[0]} (${envPref ? 'BRACKETEER_BACKEND' : 'option'})`);
  for (const name of order) {
    let reason: string | null;
    if (name === 'tfjs-node-gpu') reason = await tryNode('@tensorflow/tfjs-node-gpu');
    else if (name === 'tfjs-node') reason = await tryNode('@tensorflow/tfjs-node');
    else if (name === 'wasm') reason = await tryWasm(threads, notes);
    else reason = (await tf.setBackend('cpu')) ? null : 'cpu backend failed to initialise';
    if (reason !== null) {
      skipped.push({ name, reason });
      continue;
    }
    // backends that rank higher by default but were not tried because of the preference
    const rank = BACKEND_ORDER.indexOf(name);
    for (const b of BACKEND_ORDER.slice(0, rank)) {
      if (!skipped.some((s) => s.name === b)) {
        skipped.push({
          name: b,
          reason: `not tried: ${envPref ? 'BRACKETEER_BACKEND' : 'option'} prefers ${order[0]}`,
        });
      }
    }
    skipped.sort((a, b) => BACKEND_ORDER.indexOf(a.name) - BACKEND_ORDER.indexOf(b.name));
    return finish(name, skipped, notes);
  }
  throw new Error(
    `no TensorFlow.js backend could be initialised: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`,
  );
}

function finish(
  name: BackendId,
  skipped: { name: BackendId; reason: string }[],
  notes: string[],
): BackendInfo {
  const tfName = tf.getBackend();
  registerMissingGradients();
  let threads = 1;
  let simd = false;
  if (name === 'wasm') {
    registerWasmTrainingKernels();
    threads = tfwasm.getThreadsCount();
    simd = wasmSimd;
  } else if (name === 'tfjs-node' || name === 'tfjs-node-gpu') {
    threads = cpus().length;
  }
  return { name, tfName, threads, simd, skipped, notes };
}

/**
 * Selects and initialises the TensorFlow.js backend (see module doc for the order).
 * Idempotent: the first call decides; later calls return the same result (options ignored).
 * @returns the active backend, its thread count, SIMD use and why the others were skipped
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (!current) {
    // Production mode: no console banners (the cpu backend's "install tfjs-node" notice would
    // break the CLI's one-line errors) and no debug-only checks.
    tf.env().set('PROD', true);
    current = select(opts).catch((e: unknown) => {
      current = null;
      throw e;
    });
  }
  return current;
}

/** The result of the first `initBackend` call, or null before it finished. */
export async function backendInfo(): Promise<BackendInfo | null> {
  return current ? current.catch(() => null) : null;
}
