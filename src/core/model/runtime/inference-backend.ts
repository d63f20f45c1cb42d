/**
 * Inference backend selection for the multi-exposure model. Order:
 * tfjs-node-gpu (when it loads) → ONNX Runtime (onnxruntime-node: CUDA or WebGPU provider when
 * present, else CPU, one intra-op thread per logical core; ../onnx/ort-providers.ts) →
 * tfjs-node → tfjs wasm → tfjs cpu. The TensorFlow.js backend is
 * selected first ({@link initBackend}, it also serves training); ONNX Runtime then takes over
 * inference unless the GPU backend loaded or a TensorFlow.js backend is explicitly preferred
 * (`--backend` / BRACKETEER_BACKEND). `onnxruntime` (or `onnx`) as the preference puts ONNX
 * Runtime first. Every engine not used is reported with the reason.
 */
import { cpus } from 'node:os';
import { chooseOrtProvider, type OrtProvider } from '../onnx/ort-providers.js';
import { loadOrt, ortWorkerCount } from '../onnx/ort-runner.js';
import type { BackendId, BackendInfo } from './backend.js';
import { BACKEND_ORDER, initBackend, ONNX_BACKEND_IDS } from './backend.js';
import { setInferenceEngine } from './inference-state.js';

/** Inference engines in the default order of preference. */
export const INFERENCE_ORDER = [
  'tfjs-node-gpu',
  'onnxruntime',
  'tfjs-node',
  'wasm',
  'cpu',
] as const;
/** One of {@link INFERENCE_ORDER}. */
export type InferenceBackendId = (typeof INFERENCE_ORDER)[number];

/** The inference engine in use, the TensorFlow.js backend under it, and why others are not. */
export interface InferenceInfo {
  readonly name: InferenceBackendId;
  /** compute threads of the engine in use */
  readonly threads: number;
  /** onnxruntime-node version when it loaded */
  readonly ortVersion: string | null;
  /** ONNX Runtime's execution provider when name is 'onnxruntime' (else null) */
  readonly ortProvider: OrtProvider | null;
  /**
   * worker threads ONNX Runtime runs tiles on at once (one intra-op thread each); 0 when the
   * engine is not ONNX Runtime or its sessions run in the caller's thread (as they also do
   * when the workers cannot start)
   */
  readonly ortWorkers: number;
  /** ONNX Runtime providers not used, with the reason (empty when ONNX Runtime was not tried) */
  readonly ortProvidersSkipped: readonly { name: OrtProvider; reason: string }[];
  /** the TensorFlow.js backend (training, and inference when name is not 'onnxruntime') */
  readonly tfjs: BackendInfo;
  /** engines ranked before or after the one in use, with the reason they are not used */
  readonly skipped: readonly { name: InferenceBackendId; reason: string }[];
}

/** Options of {@link initInferenceBackend}. */
export interface InitInferenceOptions {
  /** engine to prefer: a tfjs backend id, or 'onnxruntime' / 'onnx' (env BRACKETEER_BACKEND wins) */
  readonly prefer?: BackendId | 'onnxruntime';
  /** threads: wasm pool size and ONNX Runtime intra-op threads (env BRACKETEER_THREADS wins) */
  readonly threads?: number;
}

let current: Promise<InferenceInfo> | null = null;

function errorText(e: unknown): string {
  return e instanceof Error ? (e.message.split('\n')[0] ?? String(e)) : String(e);
}

/**
 * Loads onnxruntime-node and picks its execution provider (ort-providers.ts); returns a reason
 * when ONNX Runtime cannot run at all.
 */
async function tryOrt(threads: number): Promise<{
  reason: string | null;
  version: string | null;
  provider: OrtProvider | null;
  providers: readonly { name: OrtProvider; reason: string }[];
}> {
  try {
    const ort = await loadOrt();
    const { provider, skipped } = await chooseOrtProvider(ort, threads);
    if (!provider) {
      const cpu = skipped.find((s) => s.name === 'cpu');
      return {
        reason: cpu?.reason ?? 'no execution provider could start',
        version: null,
        provider: null,
        providers: skipped,
      };
    }
    return { reason: null, version: ort.env.versions?.node ?? null, provider, providers: skipped };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason =
      code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
        ? 'onnxruntime-node is not installed'
        : `failed to load: ${errorText(e)}`;
    return { reason, version: null, provider: null, providers: [] };
  }
}

function resolveOrtThreads(threads?: number): number {
  const env = process.env.BRACKETEER_THREADS;
  const fromEnv = env !== undefined && env !== '' ? Number(env) : NaN;
  const n = Number.isFinite(fromEnv) ? fromEnv : (threads ?? cpus().length);
  return Math.max(1, Math.round(n));
}

async function select(opts: InitInferenceOptions): Promise<InferenceInfo> {
  const env = process.env.BRACKETEER_BACKEND;
  const raw = (env !== undefined && env !== '' ? env : opts.prefer)?.trim().toLowerCase();
  const source = env !== undefined && env !== '' ? 'BRACKETEER_BACKEND' : 'option';
  const preferOrt = raw !== undefined && ONNX_BACKEND_IDS.includes(raw);
  const tfjs = await initBackend({ prefer: opts.prefer, threads: opts.threads });
  const ortThreads = resolveOrtThreads(opts.threads);
  const skipped: { name: InferenceBackendId; reason: string }[] = tfjs.skipped.map((s) => ({
    ...s,
  }));
  let ortReason: string;
  let probe: Awaited<ReturnType<typeof tryOrt>> | null = null;
  if (tfjs.name === 'tfjs-node-gpu' && !preferOrt) {
    ortReason = 'not used: tfjs-node-gpu loaded and ranks first';
  } else if (raw !== undefined && !preferOrt) {
    ortReason = `not tried: ${source} prefers ${raw}`;
  } else {
    probe = await tryOrt(ortThreads);
    ortReason = probe.reason ?? '';
  }
  const providersSkipped = probe?.providers ?? [];
  if (ortReason === '' && probe?.provider) {
    skipped.push({
      name: tfjs.name,
      reason: preferOrt
        ? `not used for inference: ${source} prefers onnxruntime (still used for training)`
        : 'ranks after onnxruntime (still used for training)',
    });
    const provider = probe.provider;
    setInferenceEngine({ kind: 'onnxruntime', threads: ortThreads, provider });
    return finish('onnxruntime', ortThreads, tfjs, skipped, {
      version: probe.version,
      provider,
      providersSkipped,
    });
  }
  skipped.push({ name: 'onnxruntime', reason: ortReason });
  setInferenceEngine({ kind: 'tfjs', threads: tfjs.threads });
  return finish(tfjs.name, tfjs.threads, tfjs, skipped, {
    version: null,
    provider: null,
    providersSkipped,
  });
}

function finish(
  name: InferenceBackendId,
  threads: number,
  tfjs: BackendInfo,
  skipped: { name: InferenceBackendId; reason: string }[],
  ort: {
    version: string | null;
    provider: OrtProvider | null;
    providersSkipped: readonly { name: OrtProvider; reason: string }[];
  },
): InferenceInfo {
  skipped.sort((a, b) => INFERENCE_ORDER.indexOf(a.name) - INFERENCE_ORDER.indexOf(b.name));
  return {
    name,
    threads,
    ortVersion: ort.version,
    ortProvider: ort.provider,
    ortWorkers: name === 'onnxruntime' && ort.provider ? ortWorkerCount(threads, ort.provider) : 0,
    ortProvidersSkipped: ort.providersSkipped,
    tfjs,
    skipped,
  };
}

/**
 * Selects the inference engine (and initialises the TensorFlow.js backend under it). Idempotent:
 * the first call decides; later calls return the same result. Until it has been called, the
 * tiled inference runs TensorFlow.js models on the active tfjs backend.
 * @throws when no TensorFlow.js backend can be initialised; an unknown preferred id
 */
export function initInferenceBackend(opts: InitInferenceOptions = {}): Promise<InferenceInfo> {
  if (!current) {
    current = select(opts).catch((e: unknown) => {
      current = null;
      setInferenceEngine(null);
      throw e;
    });
  }
  return current;
}

/** Accepted preference ids (tfjs backends and ONNX Runtime), for usage texts. */
export const PREFERENCE_IDS: readonly string[] = [...BACKEND_ORDER, 'onnxruntime', 'onnx'];
