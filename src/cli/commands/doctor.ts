import { cpus } from 'node:os';
import { version_core } from '@tensorflow/tfjs-core';
import { INFERENCE_ORDER, initInferenceBackend } from '../../core/model/runtime/index.js';
import type { Command } from '../command.js';
import { mallocHugePages, mallocArenaMax, mallocTuningLine } from '../malloc-tuning.js';
import { parseRuntimeArgs } from '../model-runtime.js';

export const doctor: Command = {
  name: 'doctor',
  summary:
    'show the inference engine and TensorFlow.js backend in use, their threads, and why others were skipped',
  usage: `Usage: bracketeer doctor [--backend <id>] [--threads <n>] [--json]

Initialises the model runtime the way every model command does and reports:
the inference engine (ONNX Runtime or a TensorFlow.js backend) and why each engine ranked
before or after it is not used; the TensorFlow.js backend (training, and inference when ONNX
Runtime is not used), its thread count, WebAssembly SIMD, and why each other tfjs backend
was skipped; and how malloc runs (on Linux the launcher starts the CLI with GLIBC_TUNABLES
glibc.malloc.hugetlb=1 and glibc.malloc.arena_max=1: transparent huge pages, one arena for
all threads; BRACKETEER_MALLOC_TUNING=0 turns that off).
Inference engines, in order of preference: ${INFERENCE_ORDER.join(', ')}.
  --backend <id>   try this engine first: onnxruntime (or onnx) or a tfjs backend
                   (same as env BRACKETEER_BACKEND, which wins)
  --threads <n>    wasm and ONNX Runtime threads (same as env BRACKETEER_THREADS);
                   default: logical cores`,
  options: {
    backend: { type: 'string' },
    threads: { type: 'string' },
  },
  async run(args) {
    const inference = await initInferenceBackend(parseRuntimeArgs(args));
    const info = inference.tfjs;
    const engine =
      inference.name === 'onnxruntime'
        ? `onnxruntime ${inference.ortVersion ?? ''} (${inference.ortProvider ?? 'cpu'} provider)`.replace(
            '  ',
            ' ',
          )
        : `${inference.name} (TensorFlow.js)`;
    const lines = [
      `inference ${engine}, ${inference.threads} thread(s)${inference.ortWorkers > 0 ? `, tiles in parallel on ${inference.ortWorkers} worker threads` : ''}`,
      ...inference.skipped.map((s) => `  ${s.name.padEnd(18)} ${s.reason}`),
      ...inference.ortProvidersSkipped.map(
        (s) => `  ${`onnxruntime/${s.name}`.padEnd(18)} ${s.reason}`,
      ),
      `backend   ${info.name} (tfjs '${info.tfName}', @tensorflow/tfjs-core ${version_core})`,
      `threads   ${info.threads}`,
      `SIMD      ${info.simd ? 'yes' : 'no'}`,
      `machine   ${cpus().length} logical cores, Node ${process.versions.node}`,
      `malloc    ${mallocTuningLine()}`,
    ];
    if (info.skipped.length > 0) {
      lines.push('skipped');
      for (const s of info.skipped) lines.push(`  ${s.name.padEnd(14)} ${s.reason}`);
    }
    for (const n of info.notes) lines.push(`note      ${n}`);
    return {
      text: lines.join('\n'),
      data: {
        ...info,
        inference: {
          name: inference.name,
          threads: inference.threads,
          ortVersion: inference.ortVersion,
          ortProvider: inference.ortProvider,
          ortWorkers: inference.ortWorkers,
          ortProvidersSkipped: inference.ortProvidersSkipped,
          skipped: inference.skipped,
        },
        tfjsCore: version_core,
        logicalCores: cpus().length,
        mallocHugePages: mallocHugePages(),
        mallocArenaMax: mallocArenaMax(),
        node: process.versions.node,
      },
    };
  },
};
