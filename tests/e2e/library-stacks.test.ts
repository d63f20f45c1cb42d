/**
 * End to end: editing bracket stacks in the library view, in Debian's chromium against a real
 * `bracketeer serve`. A generated 3-frame bracket (JPEGs with EXIF written by sharp) is imported
 * and detected as one tile; "Split here" in the details panel splits it, Ctrl-click selects two
 * tiles and "Merge into stack" merges them back (frames in exposure order); a merge with another
 * camera is refused with a status line naming the photos; arrow keys still move the selection.
 * Screenshots go to test-results/e2e/library-stacks-*.png. Skips when /usr/bin/chromium is
 * missing. Needs the renderer and the CLI built (the suite builds them).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../integration/server/helpers.js';
import { buildApp, hasChromium, launchChromium, openPage, shot, statusText } from './harness.js';
import { startServe, stopServe } from './serve.js';

let tmp: { dir: string; remove: () => Promise<void> };
let child: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
const pageErrors: string[] = [];

/** A 240×160 JPEG with a gradient of `tint` and EXIF (camera, capture time, shutter time). */
async function jpeg(
  file: string,
  tint: [number, number, number],
  exif: { make: string; model: string; date: string; sub: string; exposure: string },
): Promise<void> {
  const w = 240;
  const h = 160;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const g = 0.3 + (0.7 * (x + y)) / (w + h);
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
        SubSecTimeOriginal: exif.sub,
        ExposureTime: exif.exposure,
        FNumber: '8',
        ISOSpeedRatings: '100',
      },
    })
    .toFile(file);
}

/** [name, frames] of every tile in the grid, sorted by name (read in one go: tiles re-render). */
async function tiles(): Promise<[string, number][]> {
  const out = await page.locator('[data-testid=tile]').evaluateAll((els) =>
    els.map((e) => {
      const el = e as unknown as { getAttribute(n: string): string | null };
      return [el.getAttribute('data-name') ?? '', Number(el.getAttribute('data-frames'))];
    }),
  );
  return (out as [string, number][]).sort((a, b) => a[0].localeCompare(b[0]));
}

/** Waits until the grid shows exactly these tiles ([name, frames], any order), all drawn. */
async function waitForTiles(expected: [string, number][]): Promise<void> {
  const want = JSON.stringify([...expected].sort((a, b) => a[0].localeCompare(b[0])));
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < 15_000) {
    last = JSON.stringify(await tiles());
    const drawn = await page.locator('[data-testid=tile][data-drawn=true]').count();
    if (last === want && drawn === expected.length) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`tiles are ${last}, expected ${want}`);
}

const tile = (name: string) => page.locator(`[data-testid=tile][data-name="${name}"]`);

async function frameNames(): Promise<string[]> {
  return page
    .locator('[data-testid=frame]')
    .evaluateAll((els) =>
      els.map((e) =>
        (e as unknown as { getAttribute(n: string): string }).getAttribute('data-name'),
      ),
    );
}

/** Waits until the details panel lists `n` stack frames. */
async function waitForFrames(n: number): Promise<void> {
  await page.waitForFunction(
    (count) =>
      (
        globalThis as unknown as {
          document: { querySelectorAll(s: string): { length: number } };
        }
      ).document.querySelectorAll('[data-testid=frame]').length === count,
    n,
  );
}

describe.skipIf(!hasChromium)('stack edits in the library view', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e-stacks');
    const photos = join(tmp.dir, 'photos');
    await Promise.all([buildApp(), mkdir(photos, { recursive: true })]);
    const canon = { make: 'Canon', model: 'Canon EOS R5', date: '2024:05:04 12:00:00' };
    await Promise.all([
      // A bracket: 1/400, 1/100, 1/25 s, 0.3 s apart (2 EV steps): one stack when imported.
      jpeg(join(photos, 'IMG_100.jpg'), [90, 110, 160], {
        ...canon,
        sub: '000',
        exposure: '1/400',
      }),
      jpeg(join(photos, 'IMG_101.jpg'), [170, 190, 230], {
        ...canon,
        sub: '300',
        exposure: '1/100',
      }),
      jpeg(join(photos, 'IMG_102.jpg'), [255, 250, 240], {
        ...canon,
        sub: '600',
        exposure: '1/25',
      }),
      jpeg(join(photos, 'forest.jpg'), [80, 255, 120], {
        make: 'FUJIFILM',
        model: 'X-T4',
        date: '2024:05:05 09:30:00',
        sub: '000',
        exposure: '1/60',
      }),
    ]);
    const serve = await startServe({
      ...process.env,
      XDG_DATA_HOME: join(tmp.dir, 'xdg'),
      BRACKETEER_BACKEND: 'cpu',
    });
    child = serve.child;
    browser = await launchChromium();
    page = await openPage(browser, 1280, 720, { timeout: 15_000, errors: pageErrors });
    await page.goto(serve.url);
    await page.fill('#import-path', photos);
    await page.click('button[type=submit]:has-text("Import")');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(child);
    await tmp?.remove();
  });

  it('shows the imported bracket as one stack tile with its frames', async () => {
    await waitForTiles([
      ['IMG_101.jpg', 3],
      ['forest.jpg', 1],
    ]);
    await tile('IMG_101.jpg').click();
    await waitForFrames(3);
    expect(await frameNames()).toEqual(['IMG_100.jpg', 'IMG_101.jpg', 'IMG_102.jpg']);
    expect(await page.locator('[data-testid=frame-split]').first().isDisabled()).toBe(true);
  });

  it('splits the stack before its second frame with "Split here"', async () => {
    await page
      .locator('[data-testid=frame][data-name="IMG_101.jpg"] [data-testid=frame-split]')
      .click();
    await waitForTiles([
      ['IMG_100.jpg', 1],
      ['IMG_101.jpg', 2],
      ['forest.jpg', 1],
    ]);
    expect(await statusText(page)).toMatch(
      /^Split before IMG_101\.jpg: done; now IMG_101\.jpg \(2 frames\), IMG_100\.jpg$/,
    );
    // the resulting stack is selected and its details show its two frames, marked as edited
    await waitForFrames(2);
    expect(await frameNames()).toEqual(['IMG_101.jpg', 'IMG_102.jpg']);
    expect(await page.textContent('[data-testid=exif-panel]')).toContain('edited');
    await shot(page, 'library-stacks-1-split');
  });

  it('refuses to merge photos of another camera, naming them in the status line', async () => {
    await tile('IMG_100.jpg').click();
    await tile('forest.jpg').click({ modifiers: ['Control'] });
    expect(await page.locator('[data-testid=tile][data-marked=true]').count()).toBe(2);
    expect(await page.textContent('[data-testid=selection-actions]')).toContain('2 selected');
    expect(await page.locator('[data-testid=add-to-stack]').count()).toBe(0);
    await page.click('[data-testid=merge-stack]');
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(n: string): string } | null };
          }
        ).document
          .querySelector('[role=status]')
          ?.getAttribute('data-kind') === 'error',
    );
    expect(await statusText(page)).toBe(
      'Merge 2 tiles failed: cannot put these photos in one stack: cameras differ ' +
        '(Canon EOS R5: IMG_100.jpg; FUJIFILM X-T4: forest.jpg)',
    );
    await shot(page, 'library-stacks-2-refused');
    await waitForTiles([
      ['IMG_100.jpg', 1],
      ['IMG_101.jpg', 2],
      ['forest.jpg', 1],
    ]);
  });

  it('merges the single frame and the stack back with Ctrl-click and "Merge into stack"', async () => {
    await tile('IMG_100.jpg').click();
    await tile('IMG_101.jpg').click({ modifiers: ['Control'] });
    expect(await page.locator('[data-testid=tile][data-marked=true]').count()).toBe(2);
    // one of them is a stack: it can also take the photo in
    expect(await page.locator('[data-testid=add-to-stack]').count()).toBe(1);
    await shot(page, 'library-stacks-3-selected');
    await page.click('[data-testid=merge-stack]');
    await waitForTiles([
      ['IMG_101.jpg', 3],
      ['forest.jpg', 1],
    ]);
    expect(await page.locator('[data-testid=tile][data-marked=true]').count()).toBe(0);
    await waitForFrames(3);
    expect(await frameNames()).toEqual(['IMG_100.jpg', 'IMG_101.jpg', 'IMG_102.jpg']);
    expect(await statusText(page)).toBe('Merge 2 tiles: done; now IMG_101.jpg (3 frames)');
    await shot(page, 'library-stacks-4-merged');
  });

  it('keeps keyboard navigation: arrows move the selection, Shift+arrow extends it', async () => {
    // newest first: forest.jpg (05-05), then the stack (05-04)
    await tile('IMG_101.jpg').click();
    const selectedName = () =>
      page.locator('[data-testid=tile].selected').first().getAttribute('data-name');
    expect(await selectedName()).toBe('IMG_101.jpg');
    await page.keyboard.press('ArrowLeft');
    expect(await selectedName()).toBe('forest.jpg');
    await page.keyboard.press('ArrowRight');
    expect(await selectedName()).toBe('IMG_101.jpg');
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await page.locator('[data-testid=tile][data-marked=true]').count()).toBe(2);
    expect(await selectedName()).toBe('forest.jpg');
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid=tile][data-marked=true]').count()).toBe(0);
    expect(await selectedName()).toBe('forest.jpg');
    expect(pageErrors).toEqual([]);
  });
});
