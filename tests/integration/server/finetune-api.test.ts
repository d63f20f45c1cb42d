/**
 * Fine-tuning over the real HTTP server, trained on the fine-tune worker thread (bundled here
 * with the CLI's esbuild options): a generated stack (a smooth scene through a known camera
 * curve) and a tiny random-weights base model in a temporary models folder. Checks progress
 * events with increasing steps, the new user model in models.list, cancel (no folder, base
 * unchanged), pause → resume from the checkpoint step, export → import round trip (same
 * SHA-256), and that shipped models cannot be deleted.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSha256 } from '../../../src/core/model/store/load-model.js';
import { workerFinetuneRunner } from '../../../src/main/services/jobs/finetune-runner.js';
import type {
  FinetuneJobResult,
  FinetuneProgressEvent,
  JobInfo,
} from '../../../src/shared/api/index.js';
import { writeSyntheticStack } from '../../unit/model/finetune/fixtures.js';
import {
  installTinyModel,
  REPO,
  startTestServer,
  tempDir,
  waitFor,
  type TestServer,
} from './helpers.js';

const run = promisify(execFile);
const saved = {
  models: process.env.BRACKETEER_MODELS_DIR,
  user: process.env.BRACKETEER_USER_MODELS_DIR,
  backend: process.env.BRACKETEER_BACKEND,
};
let tmp: { dir: string; remove: () => Promise<void> };
let bundleDir = '';
let t: TestServer;
let modelsDir = '';
let stackDir = '';
let baseSha = '';
const quick = { holdout: 0.5, cropSize: 16, batchSize: 2, learningRate: 3e-3 };

function progress(jobId: string): FinetuneProgressEvent[] {
  return t.events
    .filter((e) => e.event === 'finetune.progress' && e.payload.jobId === jobId)
    .map((e) => e.payload as FinetuneProgressEvent);
}

async function finished(jobId: string, timeoutMs = 120_000): Promise<JobInfo> {
  await waitFor(
    () => {
      const ev = t.events.find(
        (e) =>
          (e.event === 'job.done' || e.event === 'job.failed' || e.event === 'job.cancelled') &&
          e.payload.jobId === jobId,
      );
      return ev !== undefined;
    },
    timeoutMs,
    `job ${jobId} to finish`,
  );
  const info = (await t.api.invoke('jobs.list', {})).find((j) => j.jobId === jobId);
  if (!info) throw new Error(`job ${jobId} is not listed`);
  return info;
}

beforeAll(async () => {
  tmp = await tempDir('finetune-api');
  modelsDir = join(tmp.dir, 'models');
  process.env.BRACKETEER_MODELS_DIR = modelsDir;
  delete process.env.BRACKETEER_USER_MODELS_DIR;
  process.env.BRACKETEER_BACKEND = 'cpu';
  baseSha = await installTinyModel(modelsDir, 'tiny-base');
  stackDir = join(tmp.dir, 'stack');
  await writeSyntheticStack(stackDir, 64, 48, 11);
  bundleDir = join(REPO, 'out', `test-finetune-${process.pid}-${Date.now()}`);
  const worker = join(bundleDir, 'finetune-worker.js');
  const code = `
    import { build } from 'esbuild';
    import { nodeBundleOptions } from './scripts/esbuild-node.mjs';
    await build({ ...nodeBundleOptions('src/main/services/jobs/finetune-worker.ts', ${JSON.stringify(worker)}), sourcemap: false });
  `;
  await run(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO });
  t = await startTestServer({
    dataDir: join(tmp.dir, 'data'),
    finetuneRunner: workerFinetuneRunner(worker),
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
  for (const [k, v] of [
    ['BRACKETEER_MODELS_DIR', saved.models],
    ['BRACKETEER_USER_MODELS_DIR', saved.user],
    ['BRACKETEER_BACKEND', saved.backend],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await rm(bundleDir, { recursive: true, force: true });
  await tmp?.remove();
});

describe('finetune over HTTP', () => {
  it('trains, reports progress and saves a new user model', async () => {
    const t0 = performance.now();
    const { jobId, runId } = await t.api.invoke('finetune.start', {
      paths: [stackDir],
      from: 'tiny-base',
      out: 'tuned',
      steps: 12,
      validateEvery: 4,
      patience: 5,
      ...quick,
    });
    expect(runId).toBe('tuned');
    const info = await finished(jobId);
    const secs = (performance.now() - t0) / 1000;
    expect(info.state, info.error ?? '').toBe('done');
    const result = info.result as FinetuneJobResult;
    expect(result.kind).toBe('finetune');
    expect(result.stoppedBy).toBe('done');
    expect(result.step).toBe(12);
    const events = progress(jobId);
    const steps = events.filter((e) => e.type === 'step').map((e) => e.step);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.at(-1)).toBe(12);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]);
    const losses = events.filter((e) => e.type === 'step').map((e) => e.loss);
    expect(losses.every((l) => typeof l === 'number' && Number.isFinite(l))).toBe(true);
    const vals = events.filter((e) => e.type === 'validation');
    // validations at steps 0, 4, 8, 12, each with PSNR per offset
    expect(vals.map((e) => e.step)).toEqual([0, 4, 8, 12]);
    for (const v of vals) expect(Object.keys(v.psnr ?? {}).length).toBeGreaterThan(0);
    console.info(
      `finetune-api: 12 steps in ${secs.toFixed(1)} s (job), ${result.stepsPerSecond.toFixed(1)} steps/s in the worker, ${events.length} finetune.progress events`,
    );
    const models = await t.api.invoke('models.list', {});
    const tuned = models.find((m) => m.id === 'tuned');
    expect(tuned?.kind).toBe('fine-tune');
    expect(tuned?.base).toBe('tiny-base');
    expect(tuned?.deletable).toBe(true);
    expect(tuned?.sha256).toBe(result.model?.sha256);
    expect(tuned?.sha256).toBe(await fileSha256(join(modelsDir, 'tuned', 'weights.bin')));
    expect(models.find((m) => m.id === 'tiny-base')?.kind).toBe('shipped');
    const card = await t.api.invoke('models.card', { id: 'tuned' });
    expect(card.markdown).toContain('tiny-base');
    // before/after crops: a window of the held-out right half (32 × 48 of the 64 × 48 stack)
    expect(events.some((e) => e.type === 'crops')).toBe(true);
    for (const which of ['reference', 'base', 'current'] as const) {
      const img = await t.api.invoke('finetune.crop', { runId: 'tuned', ev: 2, which });
      expect([img.width, img.height, img.channels, img.format]).toEqual([32, 48, 3, 'u8']);
      expect(img.data.length).toBe(32 * 48 * 3);
      expect(Math.max(...img.data)).toBeGreaterThan(Math.min(...img.data));
    }
    const missing = await t.post('finetune.crop', { runId: 'tuned', ev: 1, which: 'base' });
    expect(missing.status).toBe(404);
    // the run folder is gone once the model is saved
    expect(await t.api.invoke('finetune.runs', {})).toEqual([]);
  }, 180_000);

  it('cancel leaves no model folder and the base unchanged', async () => {
    const { jobId } = await t.api.invoke('finetune.start', {
      paths: [stackDir],
      from: 'tiny-base',
      out: 'cancelled-one',
      steps: 5000,
      validateEvery: 1000,
      ...quick,
    });
    await waitFor(
      () => progress(jobId).some((e) => e.type === 'step' && e.step >= 3),
      120_000,
      'step 3',
    );
    // the editor's jobs do not wait for the fine-tune (it has a queue of its own)
    const bracket = await t.api.invoke('bracket.start', {
      path: join(stackDir, 'f2.png'),
      evs: [1],
      outDir: join(tmp.dir, 'bracket-out'),
      format: 'jpg',
      model: 'tiny-base',
    });
    const b = await finished(bracket.jobId, 60_000);
    expect(b.state, b.error ?? '').toBe('done');
    expect((await t.api.invoke('jobs.list', {})).find((j) => j.jobId === jobId)?.state).toBe(
      'running',
    );
    await t.api.invoke('jobs.cancel', { jobId });
    const info = await finished(jobId);
    expect(info.state).toBe('cancelled');
    expect(existsSync(join(modelsDir, 'cancelled-one'))).toBe(false);
    expect((await readdir(modelsDir)).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(await fileSha256(join(modelsDir, 'tiny-base', 'weights.bin'))).toBe(baseSha);
    expect(await t.api.invoke('finetune.runs', {})).toEqual([]);
  }, 180_000);

  it('pause keeps a checkpoint and resume continues from its step', async () => {
    const { jobId } = await t.api.invoke('finetune.start', {
      paths: [stackDir],
      from: 'tiny-base',
      out: 'paused-one',
      steps: 5000,
      validateEvery: 1000,
      ...quick,
    });
    await waitFor(
      () => progress(jobId).some((e) => e.type === 'step' && e.step >= 4),
      120_000,
      'step 4',
    );
    const paused = await t.api.invoke('finetune.pause', { jobId });
    expect(paused.runId).toBe('paused-one');
    const info = await finished(jobId);
    expect(info.state, info.error ?? '').toBe('done');
    const r = info.result as FinetuneJobResult;
    expect(r.stoppedBy).toBe('paused');
    expect(r.model).toBeNull();
    expect(r.step).toBeGreaterThanOrEqual(4);
    const runs = await t.api.invoke('finetune.runs', {});
    expect(runs).toMatchObject([{ runId: 'paused-one', state: 'paused', step: r.step }]);
    expect(existsSync(join(modelsDir, 'paused-one'))).toBe(false);

    const resumed = await t.api.invoke('finetune.resume', { runId: 'paused-one' });
    await waitFor(
      () => progress(resumed.jobId).some((e) => e.type === 'step'),
      120_000,
      'a resumed step',
    );
    const ev = progress(resumed.jobId);
    expect(ev.find((e) => e.type === 'start')?.step).toBe(r.step);
    expect(ev.find((e) => e.type === 'step')?.step).toBe(r.step + 1);
    await t.api.invoke('jobs.cancel', { jobId: resumed.jobId });
    expect((await finished(resumed.jobId)).state).toBe('cancelled');
    expect(await t.api.invoke('finetune.runs', {})).toEqual([]);
  }, 180_000);

  it('export → import round-trips a model; shipped models cannot be deleted', async () => {
    const zip = join(tmp.dir, 'exports', 'tuned.zip');
    const ex = await t.api.invoke('models.export', { id: 'tuned', file: zip });
    expect(ex.bytes).toBeGreaterThan(0);
    const im = await t.api.invoke('models.import', { file: zip, id: 'tuned-copy' });
    const list = await t.api.invoke('models.list', {});
    const a = list.find((m) => m.id === 'tuned')!;
    const b = list.find((m) => m.id === 'tuned-copy')!;
    expect(im.sha256).toBe(a.sha256);
    expect(b.sha256).toBe(a.sha256);
    expect(await fileSha256(join(modelsDir, 'tuned-copy', 'weights.bin'))).toBe(a.sha256);
    // importing under a taken id is refused
    const again = await t.post('models.import', { file: zip, id: 'tuned' });
    expect(again.status).toBe(400);

    const refused = await t.post('models.delete', { id: 'tiny-base' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/shipped model/);
    expect(existsSync(join(modelsDir, 'tiny-base', 'weights.bin'))).toBe(true);
    await t.api.invoke('models.delete', { id: 'tuned-copy' });
    expect(existsSync(join(modelsDir, 'tuned-copy'))).toBe(false);
  }, 60_000);

  it('stores the per-camera model choice', async () => {
    const set = await t.api.invoke('models.setActive', { camera: 'Fuji X-T5', model: 'tuned' });
    expect(set.byCamera).toEqual({ 'Fuji X-T5': 'tuned' });
    expect((await t.api.invoke('models.active', {})).byCamera).toEqual({ 'Fuji X-T5': 'tuned' });
    const bad = await t.post('models.setActive', { camera: 'X', model: 'nope' });
    expect(bad.status).toBe(404);
    // the generated PNGs record no camera: the default model, with reason "default"
    const p = await t.api.invoke('models.forPhoto', { path: join(stackDir, 'f2.png') });
    expect(p).toMatchObject({ camera: null, reason: 'default' });
  });
});
