import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerRunner } from '../../../src/main/services/index.js';
import type {
  AppInfo,
  EventMap,
  EventMessage,
  EventName,
  JobInfo,
} from '../../../src/shared/api/index.js';
import {
  buildBundles,
  installTinyModel,
  startTestServer,
  tempDir,
  waitFor,
  type TestServer,
} from './helpers.js';

const savedEnv = {
  backend: process.env.BRACKETEER_BACKEND,
  models: process.env.BRACKETEER_MODELS_DIR,
};
let tmp: { dir: string; remove: () => Promise<void> };
let small = '';
let large = '';
let sha = '';
const MODEL = 'tiny-test';

async function writePhoto(file: string, width: number, height: number): Promise<void> {
  const px = Buffer.alloc(width * height * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 7 + ((i / 3 / width) | 0)) % 220;
  await sharp(px, { raw: { width, height, channels: 3 } })
    .blur(1.5)
    .jpeg({ quality: 90 })
    .toFile(file);
}

function eventsOf<E extends EventName>(
  events: EventMessage[],
  name: E,
  jobId: string,
): EventMap[E][] {
  return events
    .filter((m) => m.event === name && (m.payload as { jobId: string }).jobId === jobId)
    .map((m) => m.payload as EventMap[E]);
}

function settled(events: EventMessage[], jobId: string): boolean {
  return events.some(
    (m) =>
      (m.event === 'job.done' || m.event === 'job.failed' || m.event === 'job.cancelled') &&
      m.payload.jobId === jobId,
  );
}

beforeAll(async () => {
  tmp = await tempDir('server-jobs');
  process.env.BRACKETEER_BACKEND = 'cpu';
  process.env.BRACKETEER_MODELS_DIR = join(tmp.dir, 'models');
  sha = await installTinyModel(join(tmp.dir, 'models'), MODEL);
  small = join(tmp.dir, 'small.jpg');
  large = join(tmp.dir, 'large.jpg');
  await writePhoto(small, 97, 61);
  await writePhoto(large, 384, 256);
});

afterAll(async () => {
  await tmp?.remove();
  for (const [key, value] of [
    ['BRACKETEER_BACKEND', savedEnv.backend],
    ['BRACKETEER_MODELS_DIR', savedEnv.models],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('bracketeer serve: bracket jobs (in-process runner)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ progressIntervalMs: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs a job: progress events over the WebSocket, then the frames on disk', async () => {
    const outDir = join(tmp.dir, 'out-small', 'nested');
    const { jobId } = await t.api.invoke('bracket.start', {
      path: small,
      evs: [-1, 1],
      outDir,
      format: 'jpg',
      model: MODEL,
    });
    await waitFor(() => settled(t.events, jobId), 30_000, 'the job to finish');
    expect(eventsOf(t.events, 'job.failed', jobId)).toEqual([]);
    expect(eventsOf(t.events, 'job.queued', jobId)[0]).toMatchObject({
      state: 'queued',
      kind: 'bracket',
    });
    expect(eventsOf(t.events, 'job.started', jobId)).toHaveLength(1);
    const progress = eventsOf(t.events, 'job.progress', jobId);
    expect(progress.length).toBeGreaterThan(0);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
    expect(progress.some((p) => /EV/.test(p.message))).toBe(true);

    const [done] = eventsOf(t.events, 'job.done', jobId);
    if ('kind' in done.result) throw new Error(`not a bracket result: ${done.result.kind}`);
    expect(done.result.frames).toEqual([
      { ev: -1, path: join(outDir, 'small_ev-1.00.jpg') },
      { ev: 1, path: join(outDir, 'small_ev+1.00.jpg') },
    ]);
    expect(done.result.input).toEqual({ path: small, width: 97, height: 61 });
    expect(done.result.model).toEqual({ id: MODEL, sha256: sha });
    expect(done.result.backend).toBe('cpu');
    for (const f of done.result.frames) {
      const meta = await sharp(f.path).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([97, 61, 'jpeg']);
    }
    // nothing but the frames: the staging folder is gone
    expect((await readdir(outDir)).sort()).toEqual(['small_ev+1.00.jpg', 'small_ev-1.00.jpg']);

    const list = await t.api.invoke('jobs.list', {});
    const info = list.find((j: JobInfo) => j.jobId === jobId);
    expect(info).toMatchObject({ state: 'done', fraction: 1, error: null });
  });

  it('cancels a queued job at once, and rejects unknown job ids', async () => {
    const outA = join(tmp.dir, 'out-a');
    const outB = join(tmp.dir, 'out-b');
    const a = await t.api.invoke('bracket.start', {
      path: large,
      evs: [2],
      outDir: outA,
      model: MODEL,
    });
    const b = await t.api.invoke('bracket.start', {
      path: small,
      evs: [2],
      outDir: outB,
      model: MODEL,
    });
    const info = await t.api.invoke('jobs.cancel', { jobId: b.jobId });
    expect(info.state).toBe('cancelled');
    await waitFor(() => settled(t.events, a.jobId), 30_000, 'job A');
    expect(eventsOf(t.events, 'job.cancelled', b.jobId)).toEqual([{ jobId: b.jobId }]);
    expect(eventsOf(t.events, 'job.started', b.jobId)).toEqual([]);
    expect(existsSync(outB)).toBe(false);
    expect(await readdir(outA)).toEqual(['large_ev+2.00.tif']);
    const res = await t.post('jobs.cancel', { jobId: 'no-such-job' });
    expect(res.status).toBe(404);
  });
});

describe('bracketeer serve: the model worker thread and the serve command', () => {
  let t: TestServer;
  let bundles: Awaited<ReturnType<typeof buildBundles>>;
  beforeAll(async () => {
    bundles = await buildBundles();
    t = await startTestServer({ runner: workerRunner({ script: bundles.worker }) });
  });
  afterAll(async () => {
    await t?.close();
    await bundles?.remove();
  });

  it('runs the job off the event loop, and a cancelled job leaves no files', async () => {
    const info = await t.api.invoke('app.info', {});
    expect(info.runtime?.backend).toBe('cpu');

    const parent = join(tmp.dir, 'out-cancel');
    await mkdir(parent);
    const outDir = join(parent, 'frames');
    const evs = [-3, -2, -1, 1, 2, 3];
    const t0 = performance.now();
    const { jobId } = await t.api.invoke('bracket.start', {
      path: large,
      evs,
      outDir,
      model: MODEL,
    });
    // wait until the first frame sits in the staging folder: the job is half-way
    const staged = async (): Promise<string[]> => {
      const entries = existsSync(outDir) ? await readdir(outDir) : [];
      const stage = entries.find((e) => e.startsWith('.bracketeer-'));
      return stage ? (await readdir(join(outDir, stage))).filter((f) => !f.endsWith('.tmp')) : [];
    };
    let framesStaged: string[] = [];
    const latencies: number[] = [];
    while (framesStaged.length === 0 && !settled(t.events, jobId)) {
      if (performance.now() - t0 > 60_000) throw new Error('no frame staged within 60 s');
      // the server answers while the worker renders
      const q0 = performance.now();
      await t.api.invoke('ops.list', {});
      latencies.push(performance.now() - q0);
      framesStaged = await staged();
      await new Promise((r) => setTimeout(r, 30));
    }
    expect(settled(t.events, jobId), 'the job ended before it could be cancelled').toBe(false);
    const c0 = performance.now();
    const cancelInfo = await t.api.invoke('jobs.cancel', { jobId });
    expect(['running', 'cancelled']).toContain(cancelInfo.state);
    await waitFor(() => settled(t.events, jobId), 20_000, 'the cancelled event');
    const cancelMs = performance.now() - c0;
    expect(eventsOf(t.events, 'job.cancelled', jobId)).toEqual([{ jobId }]);
    expect(eventsOf(t.events, 'job.progress', jobId).length).toBeGreaterThan(0);
    // no partial files: the folder the job created is gone, its parent is empty
    expect(existsSync(outDir)).toBe(false);
    expect(await readdir(parent)).toEqual([]);
    latencies.sort((a, b) => a - b);
    console.log(
      `worker job: ${framesStaged.length} frame(s) staged, job.cancelled ${cancelMs.toFixed(0)} ms after jobs.cancel; ops.list during the job: median ${latencies[latencies.length >> 1]?.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms over ${latencies.length} calls`,
    );
    expect(latencies.at(-1) ?? 0).toBeLessThan(1500);

    // the worker still serves the next job after a cancel
    const next = join(tmp.dir, 'out-after-cancel');
    const again = await t.api.invoke('bracket.start', {
      path: small,
      evs: [1],
      outDir: next,
      model: MODEL,
    });
    await waitFor(() => settled(t.events, again.jobId), 30_000, 'the next job');
    expect(eventsOf(t.events, 'job.done', again.jobId)).toHaveLength(1);
    expect(await readdir(next)).toEqual(['small_ev+1.00.tif']);
  });

  it('bracketeer serve prints the URL with the token, finds its worker, stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [bundles.cli, 'serve', '--port', '0'], {
      env: { ...process.env, BRACKETEER_BACKEND: 'cpu' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor(() => /Open (\S+)/.test(stdout) || child.exitCode !== null, 20_000, 'the URL');
      const pageUrl = /Open (\S+)/.exec(stdout)?.[1] ?? '';
      expect(pageUrl, stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
      const { origin, searchParams } = new URL(pageUrl);
      const token = searchParams.get('token') ?? '';
      const res = await fetch(`${origin}/api/app.info`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const info = (await res.json()) as AppInfo;
      // the runtime runs in bracket-worker.js, found next to the bundle
      expect(info.runtimeError).toBeNull();
      expect(info.runtime?.backend).toBe('cpu');
      expect((await fetch(`${origin}/api/app.info`, { method: 'POST' })).status).toBe(401);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/stopped after \d+ s/);
  });
});
