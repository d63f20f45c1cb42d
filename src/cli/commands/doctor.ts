import { cpus } from 'node:os';
import { version_core } from '@tensorflow/tfjs-core';
import { BACKEND_ORDER, initBackend } from '../../core/model/runtime/index.js';
import type { BackendId } from '../../core/model/runtime/index.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

export const doctor: Command = {
  name: 'doctor',
  summary:
    'show the TensorFlow.js backend in use, its threads and SIMD, and why others were skipped',
  usage: `Usage: bracketeer doctor [--backend <id>] [--threads <n>] [--json]

Initialises the model runtime the way every model command does and reports:
the active backend, its thread count, WebAssembly SIMD, and why each other backend was skipped.
Backends, in order of preference: ${BACKEND_ORDER.join(', ')}.
  --backend <id>   try this backend first (same as env BRACKETEER_BACKEND, which wins)
  --threads <n>    wasm threads, 1…8 (same as env BRACKETEER_THREADS); default: logical cores`,
  options: {
    backend: { type: 'string' },
    threads: { type: 'string' },
  },
  async run(args) {
    const backend = args.values.backend;
    const threadsArg = args.values.threads;
    if (
      backend !== undefined &&
      (typeof backend !== 'string' || !(BACKEND_ORDER as readonly string[]).includes(backend))
    ) {
      throw new UsageError(`--backend must be one of ${BACKEND_ORDER.join(', ')}`);
    }
    let threads: number | undefined;
    if (threadsArg !== undefined) {
      threads = Number(threadsArg);
      if (typeof threadsArg !== 'string' || !Number.isInteger(threads) || threads < 1) {
        throw new UsageError('--threads must be a positive integer');
      }
    }
    const info = await initBackend({ prefer: backend as BackendId | undefined, threads });
    const lines = [
      `backend   ${info.name} (tfjs '${info.tfName}', @tensorflow/tfjs-core ${version_core})`,
      `threads   ${info.threads}`,
      `SIMD      ${info.simd ? 'yes' : 'no'}`,
      `machine   ${cpus().length} logical cores, Node ${process.versions.node}`,
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
        tfjsCore: version_core,
        logicalCores: cpus().length,
        node: process.versions.node,
      },
    };
  },
};
