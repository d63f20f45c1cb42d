/**
 * ONNX Runtime execution providers for inference, in order of preference: CUDA (when
 * onnxruntime-node's CUDA provider library is installed), WebGPU (bundled with onnxruntime-node;
 * tried only when the machine has a GPU device node, so that a software adapter never replaces
 * the CPU provider), then the CPU provider. Each candidate is probed with a one-node graph; the
 * first that runs it correctly is used, and every other one is reported with the reason.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { GraphBuilder } from './graph-builder.js';

/** Providers Bracketeer can run the graphs on. */
export const ORT_PROVIDERS = ['cuda', 'webgpu', 'cpu'] as const;
/** One of {@link ORT_PROVIDERS}. */
export type OrtProvider = (typeof ORT_PROVIDERS)[number];

/** What the machine offers, as far as choosing a provider goes. */
export interface ProviderEnvironment {
  /** onnxruntime-node's listSupportedBackends(): names and whether they ship inside the package */
  readonly supported: readonly { readonly name: string; readonly bundled: boolean }[];
  /** the CUDA provider's shared library sits beside the native binding */
  readonly cudaLibrary: boolean;
  /** a GPU device node exists (/dev/nvidia0, /dev/dri/renderD*) */
  readonly gpuDevice: boolean;
}

/**
 * The providers worth probing, in order, and those ruled out without a probe (with the reason).
 * The CPU provider is always a candidate, last.
 */
export function providerCandidates(env: ProviderEnvironment): {
  readonly probe: readonly OrtProvider[];
  readonly skipped: readonly { readonly name: OrtProvider; readonly reason: string }[];
} {
  const listed = new Set(env.supported.map((s) => s.name));
  const probe: OrtProvider[] = [];
  const skipped: { name: OrtProvider; reason: string }[] = [];
  if (!listed.has('cuda'))
    skipped.push({ name: 'cuda', reason: 'not in this onnxruntime-node build' });
  else if (!env.cudaLibrary) {
    skipped.push({
      name: 'cuda',
      reason:
        'provider library not installed (onnxruntime-node was installed without its CUDA download)',
    });
  } else probe.push('cuda');
  if (!listed.has('webgpu')) {
    skipped.push({ name: 'webgpu', reason: 'not in this onnxruntime-node build' });
  } else if (!env.gpuDevice) {
    skipped.push({ name: 'webgpu', reason: 'no GPU device on this machine' });
  } else probe.push('webgpu');
  probe.push('cpu');
  return { probe, skipped };
}

/** The machine's {@link ProviderEnvironment}. */
export function providerEnvironment(ort: typeof Ort): ProviderEnvironment {
  const list = (ort as { listSupportedBackends?: () => { name: string; bundled: boolean }[] })
    .listSupportedBackends;
  let supported: { name: string; bundled: boolean }[] = [{ name: 'cpu', bundled: true }];
  try {
    if (list) supported = list();
  } catch {
    // an older onnxruntime-node: CPU only
  }
  let cudaLibrary: boolean;
  try {
    const binding = createRequire(import.meta.url).resolve('onnxruntime-node');
    const bin = path.join(path.resolve(path.dirname(binding), '..'), 'bin');
    cudaLibrary = findFile(bin, 'libonnxruntime_providers_cuda.so', 4);
  } catch {
    cudaLibrary = false;
  }
  let gpuDevice = existsSync('/dev/nvidia0');
  try {
    gpuDevice ||= readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
  } catch {
    // no /dev/dri
  }
  return { supported, cudaLibrary, gpuDevice };
}

function findFile(dir: string, name: string, depth: number): boolean {
  if (depth < 0 || !existsSync(dir)) return false;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name === name) return true;
    if (e.isDirectory() && findFile(path.join(dir, e.name), name, depth - 1)) return true;
  }
  return false;
}

/** Runs a one-node graph on `provider` alone; returns null when it works, else the reason. */
export async function probeProvider(
  ort: typeof Ort,
  provider: OrtProvider,
  threads: number,
): Promise<string | null> {
  try {
    const g = new GraphBuilder('probe');
    g.output(g.node('Neg', [g.input('x', [2])], {}, 'y'), [2]);
    const session = await ort.InferenceSession.create(g.toModel(), {
      executionProviders: [provider],
      intraOpNumThreads: threads,
      // fatal only: a provider that cannot load is a reason, not console noise
      logSeverityLevel: 4,
    });
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, -2]), [2]) });
    await session.release();
    const y = out.y?.data;
    return y instanceof Float32Array && y[0] === -1 && y[1] === 2
      ? null
      : 'probe graph gave a wrong result';
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    return `failed to start: ${text.split('\n')[0].trim()}`;
  }
}

/**
 * Picks the provider: the first candidate whose probe passes.
 * @returns the provider (null when even the CPU provider fails) and every other candidate with
 *   the reason it is not used
 */
export async function chooseOrtProvider(
  ort: typeof Ort,
  threads: number,
  env: ProviderEnvironment = providerEnvironment(ort),
): Promise<{
  provider: OrtProvider | null;
  skipped: { name: OrtProvider; reason: string }[];
}> {
  const { probe, skipped } = providerCandidates(env);
  // a provider library that cannot load is reported as a reason, not logged to the console;
  // takes effect when ONNX Runtime's environment starts (with the first session)
  ort.env.logLevel = 'fatal';
  const out = [...skipped];
  let provider: OrtProvider | null = null;
  for (const p of probe) {
    if (provider) {
      out.push({ name: p, reason: `ranks after ${provider}` });
      continue;
    }
    const reason = await probeProvider(ort, p, threads);
    if (reason === null) provider = p;
    else out.push({ name: p, reason });
  }
  out.sort((a, b) => ORT_PROVIDERS.indexOf(a.name) - ORT_PROVIDERS.indexOf(b.name));
  return { provider, skipped: out };
}
