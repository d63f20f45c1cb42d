/**
 * Timing helpers of the engine benchmark: in-process calls (warm-up, then timed runs) and whole
 * processes (wall time of a shell command). Every number is a wall-clock time in milliseconds.
 */
import { spawn } from 'node:child_process';

/** Timed runs of one operation. */
export interface Timing {
  /** Wall time of every timed run, ms, in run order. */
  readonly runs: number[];
  /** Median of `runs`, ms. */
  readonly median: number;
  /** Set when fewer runs than planned were taken (e.g. "1 run: slow"). */
  readonly note?: string;
}

/** How many runs to take. */
export interface RunPlan {
  /** Timed runs (≥ 1) after the warm-up. */
  readonly runs: number;
  /** A warm-up slower than this (ms) is followed by a single timed run. */
  readonly slowMs: number;
  /**
   * Whole processes: false = no separate warm-up run, the first run is timed too (inputs are
   * already in the page cache, having just been written). Default true.
   */
  readonly processWarmup?: boolean;
}

/** Runs a full GC when node was started with --expose-gc (untimed, between runs). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times an in-process call: one untimed warm-up (JIT, caches), then `plan.runs` timed calls, or
 * one timed call if the warm-up took longer than `plan.slowMs`.
 * @param fn - the work; its last result is handed to `keep` (for the agreement check)
 */
export async function timeCall<T>(
  fn: () => T | Promise<T>,
  plan: RunPlan,
  keep?: (result: T) => void | Promise<void>,
): Promise<Timing> {
  // The last result lives in `box`, emptied before each run so that the GC can free it.
  const box: T[] = [];
  collectGarbage();
  const t0 = performance.now();
  box[0] = await fn();
  const warm = performance.now() - t0;
  const n = warm > plan.slowMs ? 1 : plan.runs;
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    box.length = 0;
    collectGarbage();
    const t = performance.now();
    box[0] = await fn();
    runs.push(performance.now() - t);
  }
  await keep?.(box[0]);
  return {
    runs,
    median: median(runs),
    ...(n < plan.runs ? { note: `1 timed run (warm-up ${(warm / 1000).toFixed(1)} s)` } : {}),
  };
}

/** Result of one shell command. */
interface ShellRun {
  readonly ms: number;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs a shell command (stdout discarded, stderr kept to its last 2 kB) and measures its wall time.
 * @param timeoutMs - the command is killed after this long
 */
export function runShell(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 600_000,
): Promise<ShellRun> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('sh', ['-c', command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2048);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, code, stderr });
    });
  });
}

/**
 * Times a whole process: a warm-up run (page cache; skipped with `plan.processWarmup` false), then
 * `plan.runs` timed runs. A run that took longer than `plan.slowMs` is the only one: the warm-up
 * then counts as the single timed run.
 * @throws Error with the command's stderr when it exits non-zero
 */
export async function timeProcess(
  command: string,
  plan: RunPlan,
  env?: NodeJS.ProcessEnv,
): Promise<Timing> {
  const check = (r: ShellRun): number => {
    if (r.code !== 0) {
      const tail = r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200);
      throw new Error(`exit ${r.code ?? 'killed'}: ${tail}`);
    }
    return r.ms;
  };
  const runs: number[] = [];
  if (plan.processWarmup ?? true) {
    const first = check(await runShell(command, env));
    if (first > plan.slowMs) return { runs: [first], median: first, note: '1 run (slow)' };
  }
  while (runs.length < plan.runs) {
    runs.push(check(await runShell(command, env)));
    if (runs.length === 1 && runs[0] > plan.slowMs) {
      return { runs, median: runs[0], note: '1 run (slow)' };
    }
  }
  return { runs, median: median(runs) };
}
