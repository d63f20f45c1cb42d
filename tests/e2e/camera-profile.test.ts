/**
 * End to end: a user model folder (a fine-tune of a tiny random-weights model, written the way
 * the fine-tune writes it) with a camera profile for "Canon EOS 5D", next to the default model.
 * In Debian's chromium against a real `bracketeer serve`: a Canon photo shows the fine-tune and
 * its profile next to the model badge, a Nikon photo the default model and "no camera profile";
 * an HDR export of the Canon photo merges with the profile. Skips when /usr/bin/chromium or
 * exiftool is missing.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BracketJobResult, JobInfo } from '../../src/shared/api/types.js';
import { installTinyModel, tempDir } from '../integration/server/helpers.js';
import { EXIFTOOL_AVAILABLE } from '../unit/exif/exiftool.js';
import { buildApp, CHROMIUM, hasChromium, launchChromium, openPage, shot } from './harness.js';
import { startServe, stopServe } from './serve.js';

const ready = hasChromium && EXIFTOOL_AVAILABLE;
if (!ready) console.warn(`e2e skipped: needs ${CHROMIUM} and exiftool`);

let tmp: { dir: string; remove: () => Promise<void> };
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
let pageUrl = '';
let canon = '';
let nikon = '';
const pageErrors: string[] = [];

/** A small JPEG with EXIF Make/Model written by exiftool. */
async function cameraJpeg(file: string, make: string, model: string): Promise<string> {
  const w = 96;
  const h = 64;
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 7 + ((i / 3 / w) | 0)) % 220;
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .blur(1.5)
    .jpeg({ quality: 90 })
    .toFile(file);
  execFileSync('/usr/bin/exiftool', [
    '-q',
    '-overwrite_original',
    `-Make=${make}`,
    `-Model=${model}`,
    file,
  ]);
  return file;
}

/** Makes `<models>/<id>` a fine-tune with a gamma-2.2 camera profile (as writeModelFolder does). */
async function makeFineTune(models: string, id: string, key: string): Promise<void> {
  const dir = join(models, id);
  const curve = Array.from({ length: 256 }, (_, z) => Number(((z / 255) ** 2.2).toPrecision(6)));
  const residual = 0.0812;
  await writeFile(
    join(dir, 'camera-response.json'),
    `${JSON.stringify(
      {
        key,
        make: 'Canon',
        model: 'EOS 5D',
        source: 'debevec',
        residual,
        stacks: [{ name: 'stack1', residual }],
        inverse: [curve, curve, curve],
      },
      null,
      1,
    )}\n`,
  );
  const d = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({
      ...d,
      kind: 'fine-tune',
      baseModel: 'multi-exposure-lite',
      baseSha256: d.sha256,
      createdAt: '2026-11-30T12:00:00.000Z',
      cameraProfile: { key, residual, file: 'camera-response.json' },
      finetune: { beforeMean: 20, afterMean: 21 },
    }),
  );
}

/** POST /api/<method> with the page's token. */
async function invoke<T>(method: string, body: unknown): Promise<T> {
  const url = new URL(pageUrl);
  const token = url.searchParams.get('token') ?? '';
  const r = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = (await r.json()) as T;
  if (!r.ok) throw new Error(`${method}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function openPhoto(file: string): Promise<void> {
  await page.fill('#open-path', file);
  await page.click('button[type=submit]:has-text("Open")');
  await page.waitForSelector(`[data-testid=model-badge]`);
}

describe.skipIf(!ready)('the editor shows the camera profile of the photo', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e-profile');
    const models = join(tmp.dir, 'data', 'models');
    await Promise.all([
      buildApp(),
      installTinyModel(models, 'multi-exposure-lite'),
      installTinyModel(models, 'canon-tuned', 7),
    ]);
    await makeFineTune(models, 'canon-tuned', 'Canon EOS 5D');
    canon = await cameraJpeg(join(tmp.dir, 'canon.jpg'), 'Canon', 'EOS 5D');
    nikon = await cameraJpeg(join(tmp.dir, 'nikon.jpg'), 'NIKON', 'D850');
    const serve = await startServe({
      ...process.env,
      BRACKETEER_MODELS_DIR: models,
      BRACKETEER_BACKEND: 'cpu',
    });
    server = serve.child;
    pageUrl = serve.url;
    browser = await launchChromium();
    page = await openPage(browser, 1200, 760, { timeout: 20_000, errors: pageErrors });
    await page.goto(pageUrl);
    await page.click('[data-testid=tab-editor]');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(server);
    await tmp?.remove();
  });

  it('a photo of the fine-tuned camera shows the fine-tune and its profile', async () => {
    await openPhoto(canon);
    await page.waitForSelector('[data-testid=camera-profile][data-profile="Canon EOS 5D"]');
    expect(await page.textContent('[data-testid=model-badge]')).toContain(
      'Model: canon-tuned (fine-tuned, Canon EOS 5D)',
    );
    const profile = (await page.textContent('[data-testid=camera-profile]')) ?? '';
    expect(profile).toContain('Canon EOS 5D');
    expect(profile).toContain('residual 0.081');
    expect(profile).toContain('from canon-tuned');
    const title = (await page.getAttribute('[data-testid=camera-profile]', 'title')) ?? '';
    expect(title).toMatch(/HDR exports/);
    await shot(page, 'camera-profile-1-canon');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('a photo of another camera shows the default model and no camera profile', async () => {
    await openPhoto(nikon);
    await page.waitForSelector('[data-testid=model-badge][data-model=multi-exposure-lite]');
    await page.waitForSelector('[data-testid=camera-profile][data-profile=""]');
    expect(await page.textContent('[data-testid=model-badge]')).toContain(
      'Model: multi-exposure-lite (default)',
    );
    expect(await page.textContent('[data-testid=camera-profile]')).toContain(
      'No camera profile — sRGB',
    );
    await shot(page, 'camera-profile-2-nikon');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('an HDR export of the Canon photo merges with the profile, the Nikon one calibrates', async () => {
    const out = join(tmp.dir, 'out');
    const results: BracketJobResult[] = [];
    for (const [file, model] of [
      [canon, 'canon-tuned'],
      [nikon, 'multi-exposure-lite'],
    ] as const) {
      const { jobId } = await invoke<{ jobId: string }>('bracket.start', {
        path: file,
        evs: [-1, 1],
        outDir: out,
        model,
        merge: 'exr',
        keepFrames: false,
      });
      const t0 = Date.now();
      for (;;) {
        const job = (await invoke<JobInfo[]>('jobs.list', {})).find((j) => j.jobId === jobId);
        if (job?.state === 'done') {
          results.push(job.result as BracketJobResult);
          break;
        }
        if (job?.state === 'failed' || Date.now() - t0 > 60_000) {
          throw new Error(`job ${jobId}: ${job?.state} ${job?.error}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(results[0].mergeResponse).toEqual({
      profile: { key: 'Canon EOS 5D', style: null, residual: 0.0812, model: 'canon-tuned' },
      source: 'profile:Canon EOS 5D',
    });
    expect(results[1].mergeResponse).toEqual({ profile: null, source: 'debevec' });
    expect(existsSync(results[0].merged ?? '')).toBe(true);
  }, 120_000);
});
