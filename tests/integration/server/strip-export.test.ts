/**
 * The editor's strip, slider and export methods over the real HTTP server, with the task work in
 * a real worker thread (the bundled bracket-worker.js): strip frames, slider renders, tone-mapped
 * batch exports (JPEG, 16-bit TIFF), file-name patterns and collisions, cancel without leftovers.
 */
import { existsSync } from 'node:fs';
import { cp, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHdr } from '../../../src/core/image/image.js';
import { encodeRadiance } from '../../../src/core/io/index.js';
import { workerRunner } from '../../../src/main/services/index.js';
import type {
  EventMap,
  EventMessage,
  EventName,
  ImagePayload,
} from '../../../src/shared/api/index.js';
import {
  buildBundles,
  installTinyModel,
  REPO,
  startTestServer,
  tempDir,
  waitFor,
  type TestServer,
} from './helpers.js';

const MODEL = 'tiny-test';
const LITE = 'multi-exposure-lite';
const LITE_DIR = resolve(REPO, 'resources/models', LITE);
const hasLite = existsSync(join(LITE_DIR, 'model.json'));
if (!hasLite) console.warn(`strip-export: ${LITE_DIR} is missing; the EV-order checks are skipped`);
const savedModels = process.env.BRACKETEER_MODELS_DIR;

let tmp: { dir: string; remove: () => Promise<void> };
let bundles: Awaited<ReturnType<typeof buildBundles>>;
let t: TestServer;
let photo = '';
let bigPhoto = '';
const hdrs: string[] = [];

async function writePhoto(file: string, width: number, height: number): Promise<void> {
  // A smooth mid-grey scene with structure: every EV has room to move.
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      const v = 60 + 80 * (x / width) + 30 * Math.sin(y / 9);
      px[i] = v;
      px[i + 1] = v * 0.9;
      px[i + 2] = v * 0.8;
    }
  }
  await sharp(px, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .toFile(file);
}

/** An HDR gradient over 12 stops. */
async function writeHdr(file: string, w: number, h: number): Promise<void> {
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = 2 ** (-6 + (12 * x) / w) * (1 + 0.3 * Math.sin(y / 5));
      data.set([v, v * 0.8, v * 0.6], (y * w + x) * 3);
    }
  }
  await writeFile(file, encodeRadiance(createHdr(w, h, 3, data)));
}

function eventsOf<E extends EventName>(name: E, jobId: string): EventMap[E][] {
  return t.events
    .filter((m) => m.event === name && (m.payload as { jobId: string }).jobId === jobId)
    .map((m) => m.payload as EventMap[E]);
}

function settled(jobId: string): EventMessage | undefined {
  return t.events.find(
    (m) =>
      (m.event === 'job.done' || m.event === 'job.failed' || m.event === 'job.cancelled') &&
      m.payload.jobId === jobId,
  );
}

async function finish(jobId: string, ms = 60_000): Promise<EventMessage> {
  await waitFor(() => settled(jobId) !== undefined, ms, `job ${jobId}`);
  const end = settled(jobId)!;
  if (end.event === 'job.failed') throw new Error(`job failed: ${end.payload.message}`);
  return end;
}

/** Mean of Rec. 709 luma over the frame, 0…255. */
function meanLuma(p: ImagePayload): number {
  let s = 0;
  for (let i = 0; i < p.data.length; i += 3) {
    s += 0.2126 * p.data[i] + 0.7152 * p.data[i + 1] + 0.0722 * p.data[i + 2];
  }
  return s / (p.data.length / 3);
}

async function strip(path: string, model: string, maxSize: number) {
  const t0 = performance.now();
  const { jobId } = await t.api.invoke('bracket.strip', { path, maxSize, model });
  await finish(jobId, 120_000);
  const ms = performance.now() - t0;
  const ready = eventsOf('bracket.frameReady', jobId);
  const frames = new Map<number, ImagePayload>();
  for (const r of ready) frames.set(r.ev, await t.api.invoke('bracket.frame', { jobId, ev: r.ev }));
  return { jobId, ready, frames, ms };
}

beforeAll(async () => {
  tmp = await tempDir('strip-export');
  const models = join(tmp.dir, 'models');
  process.env.BRACKETEER_MODELS_DIR = models;
  await installTinyModel(models, MODEL);
  if (hasLite) await cp(LITE_DIR, join(models, LITE), { recursive: true });
  bundles = await buildBundles();
  photo = join(tmp.dir, 'photo.jpg');
  bigPhoto = join(tmp.dir, 'big.jpg');
  await writePhoto(photo, 300, 200);
  await writePhoto(bigPhoto, 1600, 1067);
  for (const n of ['a', 'b']) {
    const f = join(tmp.dir, `${n}.hdr`);
    await writeHdr(f, 160, 96);
    hdrs.push(f);
  }
  t = await startTestServer({
    runner: workerRunner({ script: bundles.worker }),
    taskWorkerScript: bundles.worker,
    progressIntervalMs: 0,
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await bundles?.remove();
  await tmp?.remove();
  if (savedModels === undefined) delete process.env.BRACKETEER_MODELS_DIR;
  else process.env.BRACKETEER_MODELS_DIR = savedModels;
});

describe('bracket.strip / bracket.frame / bracket.render', () => {
  it('delivers 7 frames of the preview size, one event each, EV 0 = the preview', async () => {
    const preview = await t.api.invoke('image.preview', { path: photo, maxSize: 128 });
    expect([preview.width, preview.height]).toEqual([128, 85]);
    const s = await strip(photo, MODEL, 128);
    expect(s.ready.map((r) => r.ev)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(s.ready.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const f of s.frames.values()) {
      expect([f.width, f.height, f.channels, f.format]).toEqual([128, 85, 3, 'u8']);
    }
    expect(Buffer.from(s.frames.get(0)!.data).equals(Buffer.from(preview.data))).toBe(true);
    // a rendered EV differs from the photo (the model ran)
    expect(Buffer.from(s.frames.get(2)!.data).equals(Buffer.from(preview.data))).toBe(false);
    const progress = eventsOf('job.progress', s.jobId).map((p) => p.fraction);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const [done] = eventsOf('job.done', s.jobId);
    expect(done.result).toMatchObject({ kind: 'strip', width: 128, height: 85 });
  });

  it('refuses an HDR file and an unknown frame', async () => {
    await expect(t.api.invoke('bracket.strip', { path: hdrs[0], model: MODEL })).rejects.toThrow(
      /HDR image/,
    );
    await expect(t.api.invoke('bracket.frame', { jobId: 'nope', ev: 0 })).rejects.toThrow(
      /no strip frames/,
    );
  });

  it.skipIf(!hasLite)(
    'lite model: frames brighten with EV; a render at +0.5 lies between 0 and +1',
    async () => {
      const s = await strip(photo, LITE, 256);
      const means = [-3, -2, -1, 0, 1, 2, 3].map((ev) => meanLuma(s.frames.get(ev)!));
      for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1]);
      const half = await t.api.invoke('bracket.render', {
        path: photo,
        ev: 0.5,
        maxSize: 256,
        model: LITE,
      });
      const m = meanLuma(half);
      expect(m).toBeGreaterThan(means[3]);
      expect(m).toBeLessThan(means[4]);
      // the render at +1 reproduces the strip's +1 frame (same latent, same network)
      const one = await t.api.invoke('bracket.render', {
        path: photo,
        ev: 1,
        maxSize: 256,
        model: LITE,
      });
      expect(Buffer.from(one.data).equals(Buffer.from(s.frames.get(1)!.data))).toBe(true);
    },
    180_000,
  );

  it('measures: strip of 7 frames at 1024 px, and the EV-slider render latency', async () => {
    for (const model of hasLite ? [MODEL, LITE] : [MODEL]) {
      const s = await strip(bigPhoto, model, 1024);
      const f = s.frames.get(1)!;
      expect([f.width, f.height]).toEqual([1024, 683]);
      const lat: number[] = [];
      for (const ev of [0.3, 1.7, -2.2, 3.1]) {
        const t0 = performance.now();
        await t.api.invoke('bracket.render', { path: bigPhoto, ev, maxSize: 1024, model });
        lat.push(performance.now() - t0);
      }
      console.log(
        `[measure] ${model}: strip 7 frames @1024 px ${(s.ms / 1000).toFixed(2)} s; ` +
          `slider render (cached latent) ${lat.map((x) => x.toFixed(0)).join(', ')} ms`,
      );
    }
  }, 300_000);
});

describe('export.tonemap', () => {
  it('writes a batch of 2 JPEGs and of 2 16-bit TIFFs named by the pattern', async () => {
    const outDir = join(tmp.dir, 'export-1');
    const { jobId } = await t.api.invoke('export.tonemap', {
      paths: hdrs,
      op: 'reinhard02',
      format: 'jpg',
      outDir,
      pattern: '{index}-{name}-tm',
    });
    const end = await finish(jobId);
    expect(end.event).toBe('job.done');
    expect((await readdir(outDir)).sort()).toEqual(['1-a-tm.jpg', '2-b-tm.jpg']);
    for (const f of ['1-a-tm.jpg', '2-b-tm.jpg']) {
      const meta = await sharp(join(outDir, f)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 160, 96]);
    }
    const progress = eventsOf('job.progress', jobId);
    expect(progress.some((p) => /^2\/2 b\.hdr/.test(p.message))).toBe(true);

    const tif = await t.api.invoke('export.tonemap', {
      paths: hdrs,
      op: 'drago03',
      format: 'tif',
      outDir,
      pattern: '{name}',
    });
    await finish(tif.jobId);
    for (const f of ['a.tif', 'b.tif']) {
      const meta = await sharp(join(outDir, f)).metadata();
      expect([meta.format, meta.depth, meta.width]).toEqual(['tiff', 'ushort', 160]);
    }
  });

  it('refuses a pattern collision, a path in the pattern and a name shared by two outputs', async () => {
    const outDir = join(tmp.dir, 'export-2');
    const req = { paths: hdrs, op: 'reinhard02', format: 'png' as const, outDir };
    await finish((await t.api.invoke('export.tonemap', { ...req, pattern: '{name}' })).jobId);
    await expect(t.api.invoke('export.tonemap', { ...req, pattern: '{name}' })).rejects.toThrow(
      /pattern: a\.png already exists/,
    );
    await expect(t.api.invoke('export.tonemap', { ...req, pattern: '../{name}' })).rejects.toThrow(
      /path separator/,
    );
    await expect(t.api.invoke('export.tonemap', { ...req, pattern: 'same' })).rejects.toThrow(
      /two outputs the name same\.png/,
    );
    await expect(
      t.api.invoke('export.tonemap', { ...req, pattern: '{name}', format: 'jpg', bitDepth: 16 }),
    ).rejects.toThrow(/8-bit/);
  });

  it('cancel during a batch leaves no files (not even the staging folder)', async () => {
    const big: string[] = [];
    for (let i = 0; i < 4; i++) {
      const f = join(tmp.dir, `big-${i}.hdr`);
      await writeHdr(f, 900, 700);
      big.push(f);
    }
    const outDir = join(tmp.dir, 'export-cancel');
    const { jobId } = await t.api.invoke('export.tonemap', {
      paths: big,
      op: 'fattal02',
      format: 'jpg',
      outDir,
    });
    await waitFor(
      () =>
        eventsOf('job.progress', jobId).some((p) => /^2\/4/.test(p.message)) || !!settled(jobId),
      60_000,
      'the second file',
    );
    await t.api.invoke('jobs.cancel', { jobId });
    const end = await finish(jobId);
    expect(end.event).toBe('job.cancelled');
    expect(existsSync(outDir) ? await readdir(outDir) : []).toEqual([]);
  }, 120_000);
});

describe('bracket.start with a pattern and an HDR merge', () => {
  it('writes frames named by the pattern plus the merged .exr; refuses a collision', async () => {
    const outDir = join(tmp.dir, 'bracket-1');
    const { jobId } = await t.api.invoke('bracket.start', {
      path: photo,
      evs: [-2, 2],
      outDir,
      format: 'tif16',
      model: MODEL,
      pattern: '{name}-{index}_{ev}',
      merge: 'exr',
    });
    const end = await finish(jobId);
    expect(end.event).toBe('job.done');
    expect((await readdir(outDir)).sort()).toEqual([
      'photo-1_-2.00.tif',
      'photo-2_+2.00.tif',
      'photo_hdr.exr',
    ]);
    const meta = await sharp(join(outDir, 'photo-1_-2.00.tif')).metadata();
    expect([meta.depth, meta.width, meta.height]).toEqual(['ushort', 300, 200]);
    await expect(
      t.api.invoke('bracket.start', {
        path: photo,
        evs: [-2, 2],
        outDir,
        model: MODEL,
        pattern: '{name}-{index}_{ev}',
      }),
    ).rejects.toThrow(/already exists/);
    await expect(
      t.api.invoke('bracket.start', {
        path: photo,
        evs: [-2, 2],
        outDir,
        model: MODEL,
        pattern: '{name}',
      }),
    ).rejects.toThrow(/two outputs/);

    const hdrOnly = join(tmp.dir, 'bracket-hdr');
    const r = await t.api.invoke('bracket.start', {
      path: photo,
      evs: [-2, -1, 1, 2],
      outDir: hdrOnly,
      model: MODEL,
      merge: 'hdr',
      keepFrames: false,
    });
    await finish(r.jobId);
    expect(await readdir(hdrOnly)).toEqual(['photo_hdr.hdr']);
  }, 120_000);
});
