/**
 * Supervision of the model worker with a REAL worker thread: a tiny worker script (written to a
 * temp folder) speaks the protocol of src/main/services/jobs/worker-protocol.ts and crashes,
 * exits, hangs or succeeds on demand, chosen by the model id of the job. Jobs go through the real
 * services (bracket.start → job registry → staging → worker runner).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, workerRunner, type Services } from '../../../src/main/services/index.js';
import { restartDelayMs } from '../../../src/main/services/jobs/worker-runner.js';
import type { BracketSpec } from '../../../src/main/services/index.js';
import type { EventMessage } from '../../../src/shared/api/index.js';
import { tempDir, waitFor } from './helpers.js';

const CRASH_MESSAGE = 'simulated model crash: out of memory in conv2d';

/** The test worker: model id → behaviour; `backend` reports the thread id that served the job. */
const WORKER_SOURCE = `
import { parentPort, threadId } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const cancels = new Map();
parentPort.on('message', (msg) => {
  if (msg.type === 'cancel') { cancels.get(msg.id)?.(); return; }
  if (msg.type === 'runtime') {
    parentPort.postMessage({ type: 'runtime', id: msg.id, value: { backend: 'test', tfName: 'test',
      threads: 1, simd: false, skipped: [], notes: [] } });
    return;
  }
  const { id, spec } = msg;
  const files = spec.evs.map((ev, i) => join(spec.outDir, 'frame-' + i + '.tif'));
  writeFileSync(files[0], 'partial frame');
  parentPort.postMessage({ type: 'progress', id, fraction: 0.25, message: 'rendering' });
  switch (spec.model) {
    case 'crash-throw':
      setTimeout(() => { throw new Error(${JSON.stringify(CRASH_MESSAGE)}); }, 5);
      return;
    case 'crash-exit':
      setTimeout(() => process.exit(7), 5);
      return;
    case 'slow':
      cancels.set(id, () => parentPort.postMessage({ type: 'error', id,
        error: { name: 'CancelledError', message: 'Cancelled' } }));
      return;
    case 'stuck':
      return; // ignores cancel: the runner must terminate it after the grace period
    default:
      for (const f of files) writeFileSync(f, 'frame');
      parentPort.postMessage({ type: 'bracket', id, value: { width: 4, height: 3,
        frames: spec.evs.map((ev, i) => ({ ev, file: files[i] })),
        model: { id: spec.model, sha256: '0'.repeat(64) }, backend: 'thread-' + threadId,
        renderMs: 1, totalMs: 1 } });
  }
});
`;

const MODELS = ['ok', 'crash-throw', 'crash-exit', 'slow', 'stuck'];
const savedModelsDir = process.env.BRACKETEER_MODELS_DIR;
let tmp: { dir: string; remove: () => Promise<void> };
let script = '';
let photo = '';
let services: Services;
const events: EventMessage[] = [];
const logLines: string[] = [];

function outcome(jobId: string): EventMessage | undefined {
  return events.find(
    (m) =>
      (m.event === 'job.done' || m.event === 'job.failed' || m.event === 'job.cancelled') &&
      m.payload.jobId === jobId,
  );
}

async function runJob(model: string, outDir: string): Promise<EventMessage> {
  const { jobId } = await services.handlers['bracket.start']({
    path: photo,
    evs: [-2, 0, 2],
    outDir,
    model,
  });
  await waitFor(() => outcome(jobId) !== undefined, 10_000, `job ${model} to finish`);
  return outcome(jobId) as EventMessage;
}

beforeAll(async () => {
  tmp = await tempDir('supervision');
  script = join(tmp.dir, 'test-worker.mjs');
  await writeFile(script, WORKER_SOURCE);
  photo = join(tmp.dir, 'photo.jpg');
  await writeFile(photo, 'not decoded by the test worker');
  const modelsDir = join(tmp.dir, 'models');
  for (const id of MODELS) {
    await mkdir(join(modelsDir, id), { recursive: true });
    await writeFile(
      join(modelsDir, id, 'model.json'),
      JSON.stringify({ architecture: 'test', config: 'test' }),
    );
  }
  process.env.BRACKETEER_MODELS_DIR = modelsDir;
  services = createServices({
    runner: workerRunner({
      script,
      restartBackoffMs: 300,
      maxRestartsPerMinute: 10,
      cancelGraceMs: 300,
      log: (line) => logLines.push(line),
    }),
    progressIntervalMs: 0,
  });
  services.events.subscribe((m) => events.push(m));
});

afterAll(async () => {
  await services?.close();
  if (savedModelsDir === undefined) delete process.env.BRACKETEER_MODELS_DIR;
  else process.env.BRACKETEER_MODELS_DIR = savedModelsDir;
  await tmp?.remove();
});

describe('model worker supervision', () => {
  it('fails the running job with the worker error, then restarts a fresh worker after a backoff', async () => {
    const first = await runJob('ok', join(tmp.dir, 'out-ok-1'));
    expect(first.event).toBe('job.done');
    const firstThread = (first.payload as { result: { backend: string } }).result.backend;

    const outCrash = join(tmp.dir, 'out-crash');
    const crash = await runJob('crash-throw', outCrash);
    expect(crash.event).toBe('job.failed');
    expect((crash.payload as { message: string }).message).toBe(
      `the model worker crashed: ${CRASH_MESSAGE}`,
    );
    // The job created outDir: staging removed it with the partial frame.
    expect(existsSync(outCrash)).toBe(false);
    const failedAt = Date.now();

    const second = await runJob('ok', join(tmp.dir, 'out-ok-2'));
    expect(second.event).toBe('job.done');
    const secondThread = (second.payload as { result: { backend: string } }).result.backend;
    expect(secondThread).toMatch(/^thread-\d+$/);
    expect(secondThread).not.toBe(firstThread);
    // Restart waited for the 300 ms backoff (measured from the crash; the event came a few ms later).
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(250);
    // Three committed frames (named by the service), no staging folder left.
    const files = await readdir(join(tmp.dir, 'out-ok-2'));
    expect(files).toHaveLength(3);
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    expect(logLines.some((l) => l.includes(CRASH_MESSAGE))).toBe(true);
  });

  it('reports a worker exit with its exit code and recovers', async () => {
    const outExit = join(tmp.dir, 'out-exit');
    const exit = await runJob('crash-exit', outExit);
    expect(exit.event).toBe('job.failed');
    expect((exit.payload as { message: string }).message).toBe(
      'the model worker stopped unexpectedly (exit code 7)',
    );
    expect(existsSync(outExit)).toBe(false);
    expect((await runJob('ok', join(tmp.dir, 'out-ok-3'))).event).toBe('job.done');
  });

  it('cancels a queued job at once and a running job cooperatively, leaving no files', async () => {
    const outSlow = join(tmp.dir, 'out-slow');
    const outQueued = join(tmp.dir, 'out-queued');
    const slow = await services.handlers['bracket.start']({
      path: photo,
      evs: [-1, 1],
      outDir: outSlow,
      model: 'slow',
    });
    const queued = await services.handlers['bracket.start']({
      path: photo,
      evs: [0],
      outDir: outQueued,
      model: 'ok',
    });
    await waitFor(
      () => events.some((m) => m.event === 'job.progress' && m.payload.jobId === slow.jobId),
      5000,
      'the slow job to run',
    );
    expect(existsSync(join(outSlow, `.bracketeer-${slow.jobId}.partial`, 'frame-0.tif'))).toBe(
      true,
    );
    const q = await services.handlers['jobs.cancel']({ jobId: queued.jobId });
    expect(q.state).toBe('cancelled');
    expect(outcome(queued.jobId)?.event).toBe('job.cancelled');
    await services.handlers['jobs.cancel']({ jobId: slow.jobId });
    await waitFor(() => outcome(slow.jobId) !== undefined, 5000, 'the slow job to stop');
    expect(outcome(slow.jobId)?.event).toBe('job.cancelled');
    expect(existsSync(outSlow)).toBe(false);
    expect(existsSync(outQueued)).toBe(false);
  });

  it('terminates a worker that ignores cancel after the grace period, without counting a crash', async () => {
    const outStuck = join(tmp.dir, 'out-stuck');
    const stuck = await services.handlers['bracket.start']({
      path: photo,
      evs: [0],
      outDir: outStuck,
      model: 'stuck',
    });
    await waitFor(
      () => events.some((m) => m.event === 'job.progress' && m.payload.jobId === stuck.jobId),
      5000,
      'the stuck job to run',
    );
    const crashLines = logLines.filter((l) => l.includes('crashed') || l.includes('unexpectedly'));
    const t0 = Date.now();
    await services.handlers['jobs.cancel']({ jobId: stuck.jobId });
    await waitFor(() => outcome(stuck.jobId) !== undefined, 5000, 'the stuck job to be ended');
    expect(outcome(stuck.jobId)?.event).toBe('job.cancelled');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(existsSync(outStuck)).toBe(false);
    const t1 = Date.now();
    expect((await runJob('ok', join(tmp.dir, 'out-ok-4'))).event).toBe('job.done');
    // Not a crash: nothing logged as one, and the replacement starts without a backoff.
    expect(logLines.filter((l) => l.includes('crashed') || l.includes('unexpectedly'))).toEqual(
      crashLines,
    );
    expect(logLines.some((l) => l.includes('did not stop within 300 ms'))).toBe(true);
    expect(Date.now() - t1).toBeLessThan(2000);
  });
});

describe('restart limits', () => {
  it('doubles the backoff per consecutive crash up to the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => restartDelayMs(n, 250, 1500))).toEqual([
      0, 250, 500, 1000, 1500, 1500,
    ]);
  });

  it('stops restarting after too many crashes within a minute', async () => {
    const runner = workerRunner({ script, restartBackoffMs: 10, maxRestartsPerMinute: 1 });
    const outDir = join(tmp.dir, 'limit');
    await mkdir(outDir, { recursive: true });
    const spec: BracketSpec = {
      input: photo,
      evs: [0],
      outDir,
      format: 'jpg',
      quality: 90,
      model: 'crash-throw',
    };
    try {
      await expect(runner.bracket(spec, {})).rejects.toThrow(CRASH_MESSAGE);
      await expect(runner.bracket(spec, {})).rejects.toThrow(CRASH_MESSAGE);
      const t0 = Date.now();
      await expect(runner.bracket({ ...spec, model: 'ok' }, {})).rejects.toThrow(
        /crashed 2 times within a minute and is not restarted for \d+ s \(last crash: the model worker crashed: simulated/,
      );
      expect(Date.now() - t0).toBeLessThan(500);
    } finally {
      await runner.close();
    }
  });
});
