/**
 * End to end: the built renderer in Debian's chromium (playwright-core) against a real
 * `bracketeer serve` child process with a tiny random-weights model. Skips when
 * /usr/bin/chromium is missing.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHdr } from '../../src/core/image/image.js';
import { encodeRadiance } from '../../src/core/io/index.js';
import { installTinyModel, tempDir } from '../integration/server/helpers.js';
import { buildApp, hasChromium, launchChromium, openPage, shot } from './harness.js';
import type { CanvasLike } from './harness.js';
import { startServe, stopServe } from './serve.js';

let tmp: { dir: string; remove: () => Promise<void> };
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
let pageUrl = '';
let hdr = '';
let photo = '';
let bigPhoto = '';
const consoleLines: string[] = [];
const pageErrors: string[] = [];

/** A 256×160 HDR gradient over 10 stops, red/blue varying by row. */
async function writeHdr(file: string): Promise<void> {
  const w = 256;
  const h = 160;
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = 2 ** (-5 + (10 * x) / w);
      const i = (y * w + x) * 3;
      data[i] = v * (0.5 + y / h);
      data[i + 1] = v;
      data[i + 2] = v * (1.5 - y / h);
    }
  }
  await writeFile(file, encodeRadiance(createHdr(w, h, 3, data)));
}

async function writeJpeg(file: string, w: number, h: number): Promise<void> {
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 7 + ((i / 3 / w) | 0)) % 220;
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .blur(1.5)
    .jpeg({ quality: 90 })
    .toFile(file);
}

/** Sum and a cheap hash of the preview canvas's RGB samples (alpha skipped). */
function canvasPixels(): Promise<{ w: number; h: number; sum: number; hash: number }> {
  return page.locator('[data-testid=preview]').evaluate((el) => {
    const c = el as unknown as CanvasLike;
    const d = c
      .getContext('2d', { willReadFrequently: true })
      .getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let hash = 0;
    for (let i = 0; i < d.length; i++) {
      if ((i & 3) === 3) continue;
      sum += d[i];
      hash = (Math.imul(hash, 31) + d[i]) | 0;
    }
    return { w: c.width, h: c.height, sum, hash };
  });
}

/** Waits (polling from here) until the canvas was drawn more than `n` times and nothing is in flight. */
async function waitDrawn(n: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const drawn = Number(await page.getAttribute('[data-testid=preview]', 'data-drawn'));
    const busy = await page.getAttribute('.viewer', 'data-busy');
    if (drawn > n && busy === 'false') return drawn;
    if (Date.now() - t0 > 20_000) throw new Error(`preview not drawn after ${n} (drawn ${drawn})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!hasChromium)('editor in a browser against bracketeer serve', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e');
    const models = join(tmp.dir, 'models');
    await Promise.all([buildApp(), installTinyModel(models, 'multi-exposure-lite')]);
    hdr = join(tmp.dir, 'gradient.hdr');
    photo = join(tmp.dir, 'photo.jpg');
    bigPhoto = join(tmp.dir, 'big.jpg');
    await Promise.all([writeHdr(hdr), writeJpeg(photo, 96, 64), writeJpeg(bigPhoto, 1600, 1200)]);
    const serve = await startServe({
      ...process.env,
      BRACKETEER_MODELS_DIR: models,
      BRACKETEER_BACKEND: 'cpu',
    });
    server = serve.child;
    pageUrl = serve.url;
    browser = await launchChromium();
    page = await openPage(browser, 1200, 760, { timeout: 15_000, errors: pageErrors });
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    await page.goto(pageUrl);
    // The app opens on the library; these tests work in the editor.
    await page.click('[data-testid=tab-editor]');
  });

  afterAll(async () => {
    await browser?.close();
    await stopServe(server);
    await tmp?.remove();
  });

  it('lists the operators and drops the token from the address bar', async () => {
    await page.waitForSelector('[data-testid=operator] option', { state: 'attached' });
    const options = await page.$$eval('[data-testid=operator] option', (o) => o.length);
    expect(options).toBeGreaterThan(1);
    expect(page.url()).not.toContain('token=');
    await shot(page, '01-empty');
  });

  it('opens an HDR file and draws a non-black preview', async () => {
    await page.fill('#open-path', hdr);
    await page.click('button[type=submit]:has-text("Open")');
    await waitDrawn(0);
    const px = await canvasPixels();
    expect(px.w).toBe(256);
    expect(px.h).toBe(160);
    expect(px.sum).toBeGreaterThan(0);
    await expect(page.textContent('[data-testid=status-text]')).resolves.toContain(hdr);
    await shot(page, '02-preview');
  });

  it('changing the operator and a slider changes the pixels; R resets', async () => {
    const before = await canvasPixels();
    let drawn = Number(await page.getAttribute('[data-testid=preview]', 'data-drawn'));
    const current = await page.inputValue('[data-testid=operator]');
    const values = await page.$$eval('[data-testid=operator] option', (o) =>
      o.map((x) => x.getAttribute('value') ?? ''),
    );
    const other = values.find((v) => v !== current) ?? current;
    await page.selectOption('[data-testid=operator]', other);
    drawn = await waitDrawn(drawn);
    const afterOp = await canvasPixels();
    expect(afterOp.hash).not.toBe(before.hash);

    await page.fill('#adj-exposure', '2');
    drawn = await waitDrawn(drawn);
    const afterSlider = await canvasPixels();
    expect(afterSlider.hash).not.toBe(afterOp.hash);
    expect(afterSlider.sum).toBeGreaterThan(afterOp.sum); // +2 EV is brighter
    await shot(page, '03-operator-slider');

    await page.focus('#adj-exposure');
    await page.keyboard.press('r');
    await waitDrawn(drawn);
    expect(await page.inputValue('#adj-exposure')).toBe('0');
    expect((await canvasPixels()).hash).toBe(afterOp.hash);
  });

  it('runs a bracket job to done and writes the frames', async () => {
    const out = join(tmp.dir, 'out-done');
    await page.fill('[data-testid=bracket-photo]', photo);
    await page.fill('[data-testid=bracket-evs]', '-1, 1');
    await page.fill('[data-testid=bracket-out]', out);
    await page.selectOption('[data-testid=bracket-format]', 'jpg');
    await page.click('button:has-text("Start")');
    await page.waitForSelector('[data-testid=bracket-job][data-state=done]', { timeout: 30_000 });
    expect(await page.getAttribute('progress', 'value')).toBe('1');
    expect((await readdir(out)).sort()).toEqual(['photo_ev+1.00.jpg', 'photo_ev-1.00.jpg']);
    await shot(page, '04-bracket-done');
  });

  it('cancels a running bracket job', async () => {
    const out = join(tmp.dir, 'out-cancel');
    await page.fill('[data-testid=bracket-photo]', bigPhoto);
    await page.fill('[data-testid=bracket-evs]', '-3, -2, -1, 1, 2, 3');
    await page.fill('[data-testid=bracket-out]', out);
    await page.selectOption('[data-testid=bracket-format]', 'tif16');
    await page.click('button:has-text("Start")');
    await page.waitForSelector(
      '[data-testid=bracket-job][data-state=queued], [data-testid=bracket-job][data-state=running]',
    );
    await page.click('button:has-text("Cancel")');
    await page.waitForSelector('[data-testid=bracket-job][data-state=cancelled]', {
      timeout: 20_000,
    });
    const left = existsSync(out) ? await readdir(out) : [];
    expect(left.filter((f) => f.endsWith('.tif'))).toEqual([]);
    await shot(page, '05-bracket-cancelled');
  });

  it('names a nonexistent file in the error line', async () => {
    const missing = join(tmp.dir, 'no-such-file.hdr');
    await page.fill('#open-path', missing);
    await page.click('button[type=submit]:has-text("Open")');
    await page.waitForSelector('.status[data-kind=error]');
    expect(await page.textContent('[data-testid=status-text]')).toContain(missing);
    await shot(page, '06-error');
  });

  it('had no CSP violation and no uncaught error', () => {
    if (consoleLines.length || pageErrors.length)
      console.log([...consoleLines, ...pageErrors].join('\n'));
    const csp = consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l));
    expect(csp).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The only console errors allowed are the failed requests the error test provoked.
    const errors = consoleLines.filter(
      (l) => l.startsWith('error:') && !/Failed to load resource/.test(l),
    );
    expect(errors).toEqual([]);
  });
});
