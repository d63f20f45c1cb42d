/**
 * End to end: the library in Debian's chromium against real `bracketeer serve` processes, each
 * with its own temp data folder. One imports a folder through the UI (tiles, a bracket stack as
 * one tile, the stack filter, the details panel, a missing original, opening in the editor; the
 * memorial bracket from ../shared/data when present). The other holds 5,000 photos imported
 * through the catalog API and checks that scrolling to the bottom keeps the DOM small, printing
 * the time per animation frame. Skips when /usr/bin/chromium is missing.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/main/catalog/index.js';
import { libraryLocation } from '../../src/main/services/library-service.js';
import { REPO, tempDir } from '../integration/server/helpers.js';
import { buildApp, hasChromium, launchChromium, openPage, shot, statusText } from './harness.js';
import { startServe as startServeProcess, stopServe } from './serve.js';

/** The DOM surface the page-side functions use (this file compiles without the DOM lib). */
interface DomEl {
  textContent: string | null;
  getAttribute(name: string): string | null;
  scrollTop: number;
  readonly clientHeight: number;
  readonly scrollHeight: number;
}
declare const document: {
  querySelector(selector: string): DomEl | null;
  querySelectorAll(selector: string): { readonly length: number };
};
declare function requestAnimationFrame(callback: (time: number) => void): number;

const MEMORIAL = resolve(REPO, '../shared/data/brackets/memorial');
const BIG = 5000;
const hasMemorial = existsSync(join(MEMORIAL, 'memorial0061.png'));
if (!hasMemorial) console.warn(`library e2e: memorial part skipped (${MEMORIAL} is absent)`);

let tmp: { dir: string; remove: () => Promise<void> };
const servers: ChildProcess[] = [];
let browser: Browser | null = null;
let page: Page;
let bigPage: Page;
let photos = '';
const consoleLines: string[] = [];
const pageErrors: string[] = [];
/** HTTP responses ≥ 400 the page received ("status path"). */
const failedUrls: string[] = [];

/** A JPEG with a colour gradient and EXIF (camera, capture time, shutter time). */
async function jpeg(
  file: string,
  tint: [number, number, number],
  exif: { make: string; model: string; date: string; sub?: string; exposure: string },
): Promise<void> {
  const w = 240;
  const h = 160;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const g = (x + y) / (w + h);
      px[i] = Math.round(tint[0] * g);
      px[i + 1] = Math.round(tint[1] * g);
      px[i + 2] = Math.round(tint[2] * g);
    }
  }
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: exif.make, Model: exif.model },
      IFD2: {
        DateTimeOriginal: exif.date,
        SubSecTimeOriginal: exif.sub ?? '0',
        ExposureTime: exif.exposure,
        FNumber: '56/10',
        ISOSpeedRatings: '200',
      },
    })
    .toFile(file);
}

/** Starts `bracketeer serve` on a data folder (stopped after all tests); resolves to the page URL. */
async function startServe(dataDir: string): Promise<string> {
  const serve = await startServeProcess({ ...process.env, BRACKETEER_BACKEND: 'cpu' }, [
    '--data-dir',
    dataDir,
  ]);
  servers.push(serve.child);
  return serve.url;
}

/** Writes `n` distinct 16×16 JPEGs and imports them through the catalog API. */
async function seedBigLibrary(
  dataDir: string,
  n: number,
): Promise<{ writeMs: number; importMs: number }> {
  const dir = join(tmp.dir, 'many');
  await mkdir(dir, { recursive: true });
  const files = Array.from({ length: n }, (_, i) =>
    join(dir, `tiny-${String(i).padStart(5, '0')}.jpg`),
  );
  let t0 = performance.now();
  const px = Buffer.alloc(16 * 16 * 3);
  for (let i = 0; i < n; i += 64) {
    await Promise.all(
      files.slice(i, i + 64).map((f, k) => {
        const j = i + k;
        const p = Buffer.from(px.fill(0));
        for (let q = 0; q < p.length; q += 3) {
          p[q] = (j * 37) & 255;
          p[q + 1] = (j >> 3) & 255;
          p[q + 2] = (q * 5 + j) & 255;
        }
        return sharp(p, { raw: { width: 16, height: 16, channels: 3 } })
          .jpeg()
          .toFile(f);
      }),
    );
  }
  const writeMs = performance.now() - t0;
  const loc = libraryLocation(dataDir);
  const cat = openCatalog(loc.dbFile);
  t0 = performance.now();
  try {
    const chunks = [0, 1, 2].map((c) => files.filter((_, i) => i % 3 === c));
    const results = await Promise.all(
      chunks.map((chunk) => cat.importFiles(chunk, { thumbnailsDir: loc.thumbnailsDir })),
    );
    const bad = results.flat().filter((r) => r.status !== 'added');
    if (bad.length)
      throw new Error(`seed import: ${bad.length} not added, e.g. ${JSON.stringify(bad[0])}`);
  } finally {
    cat.close();
  }
  return { writeMs, importMs: performance.now() - t0 };
}

/** Frame-time statistics of a scripted scroll. */
interface ScrollStats {
  frames: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
  maxTiles: number;
  scrollHeight: number;
  atBottom: boolean;
}

/**
 * Scrolls the grid by `step` px per animation frame (negative: up) for at most `maxFrames`
 * frames or until the end, recording requestAnimationFrame deltas and the most tiles in the DOM.
 */
function scrollFrames(p: Page, step: number, maxFrames: number): Promise<ScrollStats> {
  return p.evaluate(
    async ({ step, maxFrames }) => {
      const el = document.querySelector('[data-testid=library-grid]') as DomEl;
      const deltas: number[] = [];
      let maxTiles = 0;
      const atEnd = (): boolean =>
        step > 0 ? el.scrollTop + el.clientHeight >= el.scrollHeight - 1 : el.scrollTop <= 0;
      await new Promise((res) => requestAnimationFrame(res));
      let last = performance.now();
      while (!atEnd() && deltas.length < maxFrames) {
        el.scrollTop += step;
        await new Promise((res) => requestAnimationFrame(res));
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        maxTiles = Math.max(maxTiles, document.querySelectorAll('[data-testid=tile]').length);
      }
      const sorted = [...deltas].sort((a, b) => a - b);
      return {
        frames: deltas.length,
        mean: deltas.reduce((s, d) => s + d, 0) / Math.max(1, deltas.length),
        p50: sorted[Math.floor(sorted.length / 2)] ?? 0,
        p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
        max: sorted[sorted.length - 1] ?? 0,
        maxTiles,
        scrollHeight: el.scrollHeight,
        atBottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 1,
      };
    },
    { step, maxFrames },
  );
}

function report(what: string, r: ScrollStats): void {
  console.log(
    `library e2e: ${what}: ${BIG} photos (${r.scrollHeight} px), ${r.frames} frames, frame time ` +
      `mean ${r.mean.toFixed(1)} ms, median ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ` +
      `max ${r.max.toFixed(1)} ms; at most ${r.maxTiles} tiles in the DOM`,
  );
}

function tiles(p: Page = page): Promise<number> {
  return p.locator('[data-testid=tile]').count();
}

describe.skipIf(!hasChromium)('library in a browser against bracketeer serve', () => {
  let bigUrl = '';

  beforeAll(async () => {
    tmp = await tempDir('e2e-library');
    photos = join(tmp.dir, 'photos');
    const bigData = join(tmp.dir, 'big-data');
    const seeding = seedBigLibrary(bigData, BIG);
    seeding.catch(() => undefined); // awaited below
    await Promise.all([buildApp(), mkdir(join(photos, 'trip', 'bracket'), { recursive: true })]);
    await Promise.all([
      jpeg(join(photos, 'trip', 'harbour.jpg'), [90, 160, 255], {
        make: 'Canon',
        model: 'Canon EOS R5',
        date: '2024:05:01 08:00:00',
        exposure: '1/250',
      }),
      jpeg(join(photos, 'trip', 'forest.jpg'), [80, 255, 120], {
        make: 'FUJIFILM',
        model: 'X-T4',
        date: '2024:05:02 09:30:00',
        exposure: '1/60',
      }),
      jpeg(join(photos, 'trip', 'sunset.jpg'), [255, 140, 60], {
        make: 'Canon',
        model: 'Canon EOS R5',
        date: '2024:05:03 19:45:00',
        exposure: '1/100',
      }),
      ...(['1/400', '1/100', '1/25'] as const).map((exposure, i) =>
        jpeg(join(photos, 'trip', 'bracket', `IMG_${100 + i}.jpg`), [200 + 25 * i, 200, 190], {
          make: 'Canon',
          model: 'Canon EOS R5',
          date: '2024:05:04 12:00:00',
          sub: String(i * 300).padStart(3, '0'),
          exposure,
        }),
      ),
    ]);
    const seed = await seeding;
    console.log(
      `library e2e: wrote ${BIG} 16×16 JPEGs in ${(seed.writeMs / 1000).toFixed(1)} s, ` +
        `catalog import ${(seed.importMs / 1000).toFixed(1)} s (${(seed.importMs / BIG).toFixed(2)} ms/photo)`,
    );
    const [url, big] = await Promise.all([startServe(join(tmp.dir, 'data')), startServe(bigData)]);
    bigUrl = big;
    browser = await launchChromium();
    page = await openPage(browser, 1280, 800, { timeout: 20_000, errors: pageErrors });
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) failedUrls.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await stopServe(s);
    await tmp?.remove();
  });

  it('starts empty with a clear message', async () => {
    await page.waitForSelector('[data-testid=library-empty]');
    expect(await page.textContent('[data-testid=library-empty]')).toContain('library is empty');
    expect(await page.getAttribute('[data-testid=tab-library]', 'aria-selected')).toBe('true');
    await shot(page, 'library-01-empty');
  });

  it('imports a folder: three photos and one bracket stack tile, thumbnails drawn', async () => {
    await page.fill('#import-path', photos);
    const t0 = Date.now();
    await page.click('button[type=submit]:has-text("Import")');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=tile][data-drawn=true]').length === 4,
    );
    console.log(`library e2e: UI import of 6 photos (1 stack) ${Date.now() - t0} ms`);
    expect(await tiles()).toBe(4);
    expect(await statusText(page)).toMatch(/Imported 6 files .*6 added.*1 stack/);
    const frames = await page.$$eval('[data-testid=tile]', (els) =>
      els.map((e) => Number(e.getAttribute('data-frames'))).sort(),
    );
    expect(frames).toEqual([1, 1, 1, 3]);
    expect(await page.locator('[data-testid=library-empty]').count()).toBe(0);
  });

  it('filters to bracket stacks and back', async () => {
    await page.selectOption('[data-testid=stack-filter]', 'stacks');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid=tile][data-frames="3"]').length === 1 &&
        document.querySelectorAll('[data-testid=tile]').length === 1,
    );
    await page.selectOption('[data-testid=stack-filter]', 'all');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=tile]').length === 4);
  });

  it('shows EXIF and the frames of a stack in the details panel', async () => {
    // close and reopen the panel with the I key
    await page.click('[data-testid=library-grid]');
    await page.keyboard.press('i');
    await page.waitForSelector('[data-testid=exif-panel]', { state: 'detached' });
    await page.keyboard.press('i');
    await page.waitForSelector('[data-testid=exif-panel]');
    await page.click('[data-testid=tile][data-frames="3"]');
    await page.waitForSelector('[data-testid=exif-panel] .frames li >> nth=2');
    const panel = (await page.textContent('[data-testid=exif-panel]')) ?? '';
    expect(panel).toContain('IMG_101.jpg'); // the middle frame represents the stack
    expect(panel).toContain('1/100 s');
    expect(panel).toContain('f/5.6');
    expect(panel).toContain('Canon EOS R5');
    expect(panel).toContain('Stack · 3 frames');
    await page.click('[data-testid=tile]:has-text("forest.jpg")');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=exif-panel]')?.textContent?.includes('FUJIFILM X-T4'),
    );
    expect(await page.textContent('[data-testid=exif-panel]')).toContain('1/60 s');
  });

  it('imports the memorial bracket as one stack tile', async (ctx) => {
    if (!hasMemorial) {
      console.warn(`library e2e: skipped memorial (${MEMORIAL} is absent)`);
      ctx.skip();
      return;
    }
    await page.fill('#import-path', MEMORIAL);
    const t0 = Date.now();
    await page.click('button[type=submit]:has-text("Import")');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=tile][data-frames="16"]').length === 1,
      undefined,
      { timeout: 60_000 },
    );
    console.log(`library e2e: UI import of memorial (16 PNG 512×768) ${Date.now() - t0} ms`);
    await page.waitForFunction(() =>
      /Imported 16 files/.test(
        document.querySelector('[data-testid=status-text]')?.textContent ?? '',
      ),
    );
    expect(await statusText(page)).toMatch(/16 added.*1 stack/);
    expect(await tiles()).toBe(5);
  });

  it('shows a deleted original as missing after a rescan', async () => {
    await rm(join(photos, 'trip', 'sunset.jpg'));
    await page.click('button:has-text("Rescan")');
    await page.waitForSelector('[data-testid=tile][data-status=missing]:has-text("sunset.jpg")');
    expect(await page.textContent('[data-testid=tile][data-status=missing]')).toContain('Missing');
    expect(await statusText(page)).toContain('1 newly missing');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid=tile][data-drawn=true]').length ===
        document.querySelectorAll('[data-testid=tile]').length,
    );
    await page.click('[data-testid=tile]:has-text("harbour.jpg")');
    await shot(page, 'library');
  });

  it('opens the selected photo in the editor with Enter, and G returns to the library', async () => {
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=exif-panel]')?.textContent?.includes('harbour.jpg'),
    );
    await page.focus('[data-testid=library-grid]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=tab-editor][aria-selected=true]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=preview]')?.getAttribute('data-drawn')) > 0,
    );
    const size = await page.$eval('[data-testid=preview]', (c) => [
      (c as unknown as { width: number }).width,
      (c as unknown as { height: number }).height,
    ]);
    expect(size).toEqual([240, 160]);
    expect(await statusText(page)).toContain('harbour.jpg');
    await shot(page, 'library-editor');
    await page.keyboard.press('g');
    await page.waitForSelector('[data-testid=tab-library][aria-selected=true]');
    // arrows move the selection; a double click opens too
    await page.focus('[data-testid=library-grid]');
    await page.keyboard.press('ArrowRight');
    const selected = await page.getAttribute(
      '[data-testid=tile][aria-selected=true]',
      'data-index',
    );
    expect(selected).not.toBeNull();
    await page.dblclick('[data-testid=tile]:has-text("forest.jpg")');
    await page.waitForSelector('[data-testid=tab-editor][aria-selected=true]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status-text]')?.textContent?.includes('forest.jpg'),
    );
  });

  it('imports a corrupt file: the error names it and its tile says it is unreadable', async () => {
    const bad = join(tmp.dir, 'bad');
    await mkdir(bad, { recursive: true });
    // a JPEG cut off after its first bytes
    await writeFile(join(bad, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a]));
    await page.click('[data-testid=tab-library]');
    await page.fill('#import-path', bad);
    await page.click('button[type=submit]:has-text("Import")');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=status-text]')?.textContent?.includes('1 failed'),
    );
    const text = await statusText(page);
    expect(text).toContain('broken.jpg');
    expect(await page.getAttribute('.status[role=status]', 'data-kind')).toBe('error');
    await page.waitForSelector('[data-testid=tile][data-status=error]:has-text("broken.jpg")');
    expect(
      await page.textContent('[data-testid=tile][data-status=error]:has-text("broken.jpg")'),
    ).toContain('Unreadable');
    await shot(page, 'library-corrupt');
  });

  it('scrolls 5,000 photos to the bottom with a small DOM', async () => {
    if (!browser) throw new Error('no browser');
    bigPage = await openPage(browser, 1280, 800, { timeout: 30_000, errors: pageErrors });
    await bigPage.goto(bigUrl);
    await bigPage.waitForSelector(`.main[data-total="${BIG}"]`);
    await bigPage.waitForFunction(
      () => document.querySelectorAll('[data-testid=tile][data-drawn=true]').length > 10,
    );
    const fling = await scrollFrames(bigPage, 900, 10_000); // a screenful per frame, to the bottom
    report('fling to the bottom', fling);
    expect(fling.atBottom).toBe(true);
    const r = fling;
    expect(r.maxTiles).toBeLessThan(200);
    const last = `[data-testid=tile][data-index="${BIG - 1}"]`;
    await bigPage.waitForSelector(`${last}[data-drawn=true]`);
    expect(await bigPage.textContent(last)).toMatch(/tiny-\d{5}\.jpg/);
    // the last tile lies inside the grid's visible area
    const box = await bigPage.locator(last).boundingBox();
    const grid = await bigPage.locator('[data-testid=library-grid]').boundingBox();
    if (!box || !grid) throw new Error('no layout boxes');
    expect(box.y).toBeGreaterThanOrEqual(grid.y);
    expect(box.y + box.height).toBeLessThanOrEqual(grid.y + grid.height + 1);
    expect(await tiles(bigPage)).toBeLessThan(200);
    await shot(bigPage, 'library-5000-bottom');
    const wheel = await scrollFrames(bigPage, -120, 240); // wheel-like speed, upwards
    report('steady 120 px/frame', wheel);
    expect(wheel.maxTiles).toBeLessThan(200);
  });

  it('had no CSP violation and no uncaught error', () => {
    if (consoleLines.length || pageErrors.length) {
      console.log([...consoleLines, ...pageErrors].join('\n'));
    }
    expect(consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l))).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The browser's own favicon probe is the only request allowed to fail.
    expect(failedUrls.filter((u) => !u.endsWith('/favicon.ico'))).toEqual([]);
    const errors = consoleLines.filter(
      (l) => l.startsWith('error:') && !/Failed to load resource/.test(l),
    );
    expect(errors).toEqual([]);
  });
});
