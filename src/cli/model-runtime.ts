import {
  BACKEND_ORDER,
  initBackend,
  type BackendId,
  type BackendInfo,
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
export const RUNTIME_USAGE = `  --backend ID         TensorFlow.js backend to try first: ${BACKEND_ORDER.join(', ')}
  --threads N          wasm threads (default: logical cores)`;

/** Initialises the model runtime from `--backend` / `--threads` (env variables win). */
export async function startRuntime(args: ParsedArgs): Promise<BackendInfo> {
  const prefer = stringOption(args, 'backend');
  if (prefer !== undefined && !(BACKEND_ORDER as readonly string[]).includes(prefer)) {
    throw new UsageError(`--backend must be one of ${BACKEND_ORDER.join(', ')}`);
  }
  const rawThreads = stringOption(args, 'threads');
  let threads: number | undefined;
  if (rawThreads !== undefined) {
    threads = Number(rawThreads);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new UsageError(`--threads must be a positive integer, got "${rawThreads}"`);
    }
  }
  return initBackend({ prefer: prefer as BackendId | undefined, threads });
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
