/**
 * Runs the OpenCV peer (opencv_peer.py) on one input: finds a Python interpreter that has cv2,
 * writes the job, and reads back the timings and output files.
 */
import { spawnSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchInput } from './inputs.js';
import type { OpenCvTask } from './operations.js';
import { median, type RunPlan, type Timing } from './timing.js';

/** A Python interpreter with OpenCV. */
export interface OpenCvPeer {
  readonly python: string;
  readonly version: string;
}

/** Outcome of one OpenCV task. */
export type OpenCvResult =
  | { readonly timing: Timing; readonly output: string; readonly shape: number[] }
  | { readonly error: string };

/**
 * The first interpreter that imports cv2 and numpy: $BENCH_PYTHON, then python3 on PATH, then
 * /usr/bin/python3 (Debian's python3-opencv installs only for the system interpreter).
 */
export function findOpenCv(): OpenCvPeer | undefined {
  const candidates = [
    process.env.BENCH_PYTHON,
    'python3',
    '/usr/bin/python3',
    '/usr/local/bin/python3',
    'python',
  ];
  for (const python of candidates) {
    if (!python) continue;
    const r = spawnSync(python, ['-c', 'import cv2, numpy; print(cv2.__version__)'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status === 0 && r.stdout.trim()) return { python, version: r.stdout.trim() };
  }
  return undefined;
}

const SCRIPT = fileURLToPath(new URL('../../scripts/bench/opencv_peer.py', import.meta.url));

/**
 * Runs every task on one input in a single Python process (inputs loaded once).
 * @returns results by task id, plus OpenCV's thread count
 */
export async function runOpenCv(
  peer: OpenCvPeer,
  input: BenchInput,
  tasks: readonly { id: string; task: OpenCvTask }[],
  plan: RunPlan,
): Promise<{ threads: number; results: Map<string, OpenCvResult> }> {
  const jobFile = path.join(input.dir, 'opencv-job.json');
  const resultFile = path.join(input.dir, 'opencv-result.json');
  await writeFile(
    jobFile,
    JSON.stringify({
      runs: plan.runs,
      slowSeconds: plan.slowMs / 1000,
      outDir: input.dir,
      resultFile,
      frames: input.frameFiles,
      times: input.times,
      response: input.responseRaw,
      hdr: input.hdrRaw,
      width: input.hdr.width,
      height: input.hdr.height,
      tasks: tasks.map((t) => ({ id: t.id, op: t.task.op, params: t.task.params ?? {} })),
    }),
  );
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(peer.python, [SCRIPT, jobFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', resolve);
  });
  const results = new Map<string, OpenCvResult>();
  if (code !== 0) {
    for (const t of tasks) results.set(t.id, { error: `opencv_peer.py exited with ${code}` });
    return { threads: 0, results };
  }
  const parsed = JSON.parse(await readFile(resultFile, 'utf8')) as {
    threads: number;
    results: {
      id: string;
      ms?: number[];
      warmupMs?: number;
      output?: string;
      shape?: number[];
      error?: string;
    }[];
  };
  for (const r of parsed.results) {
    if (r.error || !r.ms || !r.output || !r.shape) {
      results.set(r.id, { error: r.error ?? 'no output' });
      continue;
    }
    const note =
      r.ms.length < plan.runs
        ? `1 timed run (warm-up ${((r.warmupMs ?? 0) / 1000).toFixed(1)} s)`
        : undefined;
    results.set(r.id, {
      timing: { runs: r.ms, median: median(r.ms), ...(note ? { note } : {}) },
      output: r.output,
      shape: r.shape,
    });
  }
  return { threads: parsed.threads, results };
}
