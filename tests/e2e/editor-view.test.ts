/**
 * End to end, the editor's viewer and tone panel in Debian's chromium against `bracketeer serve`:
 * the WebGL2 shader's frame against the server's tonemap.preview for the same parameters (mean
 * absolute difference ≤ 2/255), frames per second while a slider is dragged over a 1920×1080 HDR,
 * server latency of a local operator, zoom/pan/before-after, presets and the histogram.
 * Skips when /usr/bin/chromium is missing; the shader checks skip when WebGL2 is unavailable.
 */
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHdr } from '../../src/core/image/image.js';
import { encodeRadiance } from '../../src/core/io/index.js';
import { createHttpApi, type HttpApi } from '../../src/shared/api/http-client.js';
import { tempDir } from '../integration/server/helpers.js';
import { buildApp, hasChromium, launchChromium, openPage, shot } from './harness.js';
import type { CanvasLike } from './harness.js';
import { startServe, stopServe } from './serve.js';

const VIEWER = '[data-testid=editor-view] .viewer';
const W = 1920;
const H = 1080;
let tmp: { dir: string; remove: () => Promise<void> };
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
let api: HttpApi;
let hdr = '';
let webgl2 = false;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

/** 1920×1080 HDR over ~16 stops: a horizontal ramp, colour varying by row, a bright sun disc. */
async function writeHdr(file: string): Promise<void> {
  const data = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = 2 ** (-6 + (12 * x) / W);
      const dx = x - 1500;
      const dy = y - 250;
      if (dx * dx + dy * dy < 3600) v *= 60;
      const i = (y * W + x) * 3;
      data[i] = v * (0.3 + y / H);
      data[i + 1] = v * (0.6 + 0.4 * Math.sin(x / 90));
      data[i + 2] = v * (1.3 - y / H);
    }
  }
  await writeFile(file, encodeRadiance(createHdr(W, H, 3, data)));
}

const drawnCount = async (): Promise<number> =>
  Number(await page.getAttribute('[data-testid=preview]', 'data-drawn'));

/** Waits until the preview was drawn more than `n` times by `source` and nothing is in flight. */
async function waitDrawn(n: number, source: 'gl' | 'server'): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const drawn = await drawnCount();
    const src = await page.getAttribute('[data-testid=preview]', 'data-source');
    const busy = await page.getAttribute(VIEWER, 'data-busy');
    if (drawn > n && src === source && busy === 'false') return drawn;
    if (Date.now() - t0 > 30_000)
      throw new Error(`no ${source} frame after ${n} (${drawn}, ${src})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The preview canvas's RGB samples (alpha dropped), via base64 to keep the transfer small. */
async function previewRgb(): Promise<{ w: number; h: number; rgb: Uint8Array }> {
  const r = await page.locator('[data-testid=preview]').evaluate((el) => {
    const c = el as unknown as CanvasLike;
    const d = c
      .getContext('2d', { willReadFrequently: true })
      .getImageData(0, 0, c.width, c.height).data;
    const rgb = new Uint8Array((d.length / 4) * 3);
    for (let i = 0, j = 0; i < d.length; i += 4, j += 3) {
      rgb[j] = d[i];
      rgb[j + 1] = d[i + 1];
      rgb[j + 2] = d[i + 2];
    }
    let s = '';
    for (let i = 0; i < rgb.length; i += 0x8000) {
      s += String.fromCharCode(...rgb.subarray(i, i + 0x8000));
    }
    return { w: c.width, h: c.height, b64: btoa(s) };
  });
  return { w: r.w, h: r.h, rgb: new Uint8Array(Buffer.from(r.b64, 'base64')) };
}

describe.skipIf(!hasChromium)('editor viewer and tone panel in a browser', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e-view');
    hdr = join(tmp.dir, 'wide.hdr');
    await Promise.all([buildApp(), writeHdr(hdr)]);
    const serve = await startServe({ ...process.env, BRACKETEER_BACKEND: 'cpu' });
    server = serve.child;
    const url = serve.url;
    const u = new URL(url);
    api = createHttpApi({ baseUrl: u.origin, token: u.searchParams.get('token') ?? '' });
    browser = await launchChromium();
    page = await openPage(browser, 1280, 800, { timeout: 30_000, errors: pageErrors });
    page.on('console', (m) => {
      // Failed requests are reported with their URL below.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) {
        consoleErrors.push(m.text());
      }
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) {
        consoleErrors.push(`${r.status()} ${r.url().replace(/token=[^&]+/, 'token=…')}`);
      }
    });
    await page.goto(url);
    webgl2 = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      return doc.createElement('canvas').getContext('webgl2') !== null;
    });
    if (!webgl2) console.warn('WebGL2 unavailable in this chromium: shader checks skipped');
  });

  afterAll(async () => {
    api?.close();
    await browser?.close();
    await stopServe(server);
    await tmp?.remove();
  });

  it('shows the empty state, then opens a 1920×1080 HDR', async () => {
    await page.click('[data-testid=tab-editor]');
    await page.waitForSelector('[data-testid=operator] option', { state: 'attached' });
    expect(await page.textContent(VIEWER)).toContain('No image open');
    await shot(page, '10-view-empty');
    await page.fill('#open-path', hdr);
    await page.click('button[type=submit]:has-text("Open")');
    await waitDrawn(0, webgl2 ? 'gl' : 'server');
    expect(await page.textContent('[data-testid=engine]')).toBe(webgl2 ? 'GPU live' : 'Server');
    const histDrawn = await page.locator('[data-testid=histogram]').evaluate((el) => {
      const c = el as unknown as CanvasLike;
      const d = c.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, 256, 96).data;
      let lit = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) lit++;
      return lit;
    });
    expect(histDrawn).toBeGreaterThan(1000);
    await shot(page, '11-view-open');
  });

  const cases: [string, Record<string, string>, Record<string, number>][] = [
    ['drago03', {}, {}],
    ['drago03', { '#op-drago03-bias': '0.7', '#adj-exposure': '0.7' }, { bias: 0.7 }],
    ['reinhard02', { '#adj-saturation': '1.4', '#adj-gamma': '1.3' }, {}],
    ['mulaw', {}, {}],
    ['clip', { '#op-clip-exposure': '3' }, { exposure: 3 }],
  ];
  it.each(cases)('the shader matches tonemap.preview: %s %j', async (op, fills, params) => {
    if (!webgl2) {
      console.warn('skipped: WebGL2 unavailable (the editor falls back to server previews)');
      return;
    }
    let drawn = await drawnCount();
    if ((await page.inputValue('[data-testid=operator]')) !== op) {
      await page.selectOption('[data-testid=operator]', op);
      drawn = await waitDrawn(drawn, 'gl');
    }
    await page.click('button.reset');
    for (const [sel, v] of Object.entries(fills)) {
      await page.fill(sel, v);
      expect(Number(await page.inputValue(sel))).toBe(Number(v));
    }
    await new Promise((r) => setTimeout(r, 100));
    await waitDrawn(drawn, 'gl');
    const adjust = {
      exposure: Number(await page.inputValue('#adj-exposure')),
      saturation: Number(await page.inputValue('#adj-saturation')),
      gamma: Number(await page.inputValue('#adj-gamma')),
    };
    const gl = await previewRgb();
    const t0 = performance.now();
    const ref = await api.invoke('tonemap.preview', {
      path: hdr,
      op,
      params,
      ...adjust,
      maxSize: 2048,
    });
    const ms = performance.now() - t0;
    expect([gl.w, gl.h]).toEqual([ref.width, ref.height]);
    let sum = 0;
    let worst = 0;
    for (let i = 0; i < gl.rgb.length; i++) {
      const d = Math.abs(gl.rgb[i] - (ref.data[i] as number));
      sum += d;
      if (d > worst) worst = d;
    }
    const mean = sum / gl.rgb.length;
    console.log(
      `shader vs server ${op} ${JSON.stringify({ ...params, ...adjust })}: mean |Δ| ${mean.toFixed(3)}/255, max ${worst}/255 (server ${ms.toFixed(0)} ms)`,
    );
    expect(mean).toBeLessThanOrEqual(2);
  });

  it('renders global operators live while a slider is dragged (fps)', async () => {
    if (!webgl2) {
      console.warn('skipped: WebGL2 unavailable');
      return;
    }
    await page.selectOption('[data-testid=operator]', 'drago03');
    await page.click('button.reset');
    await waitDrawn(0, 'gl');
    // Drive the exposure slider from the page once per animation frame for 2 s, as a drag does.
    const r = await page.evaluate(async () => {
      const win = globalThis as unknown as PageWindow;
      const input = win.document.querySelector('#adj-exposure') as PageInput;
      const canvas = win.document.querySelector('[data-testid=preview]') as PageInput;
      const requestAnimationFrame = win.requestAnimationFrame.bind(win);
      const d0 = Number(canvas.dataset.drawn);
      const t0 = performance.now();
      let i = 0;
      await new Promise<void>((done) => {
        const step = (): void => {
          if (performance.now() - t0 > 2000) return done();
          input.value = String(-2 + ((i++ * 0.1) % 4));
          input.dispatchEvent(new Event('input', { bubbles: true }));
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      const secs = (performance.now() - t0) / 1000;
      return { frames: Number(canvas.dataset.drawn) - d0, inputs: i, secs };
    });
    const fps = r.frames / r.secs;
    await waitDrawn(0, 'gl'); // the full-resolution frame after the drag
    const full = /GPU ([\d.]+) ms/.exec(
      (await page.textContent('[data-testid=status-text]')) ?? '',
    );
    console.log(
      `full-resolution ${W}×${H} drago03 frame on the GPU path (render + read-back): ${full?.[1] ?? '?'} ms`,
    );
    console.log(
      `slider drag over ${W}×${H} drago03 on the GPU path: ${fps.toFixed(1)} fps (${r.frames} frames for ${r.inputs} inputs in ${r.secs.toFixed(2)} s; chromium --disable-gpu, SwiftShader)`,
    );
    expect(r.frames).toBeGreaterThan(2);
  });

  it('measures the server latency of a local operator', async () => {
    let drawn = await drawnCount();
    await page.selectOption('[data-testid=operator]', 'durand02');
    drawn = await waitDrawn(drawn, 'server');
    expect(await page.textContent('[data-testid=engine]')).toBe('Server');
    const times: number[] = [];
    for (const ev of ['0.5', '1', '1.5']) {
      const t0 = Date.now();
      await page.fill('#adj-exposure', ev);
      drawn = await waitDrawn(drawn, 'server');
      times.push(Date.now() - t0);
    }
    console.log(`durand02 server preview (1024 px) latency: ${times.join(', ')} ms`);
    await shot(page, '12-view-local');
  });

  it('zooms, pans and compares before/after', async () => {
    await page.selectOption('[data-testid=operator]', 'drago03');
    await page.click('button.reset');
    await page.locator(VIEWER).hover();
    await page.keyboard.press('1');
    expect(await page.textContent('[data-testid=zoom]')).toBe('100%');
    const stage = page.locator('.stage');
    const t1 = await stage.evaluate((el) => (el as unknown as { style: CSSProps }).style.transform);
    await page.mouse.move(600, 400);
    await page.mouse.down();
    await page.mouse.move(500, 350, { steps: 4 });
    await page.mouse.up();
    const t2 = await stage.evaluate((el) => (el as unknown as { style: CSSProps }).style.transform);
    expect(t2).not.toBe(t1);
    await page.mouse.wheel(0, -300);
    await expect
      .poll(async () => Number((await page.textContent('[data-testid=zoom]'))?.replace('%', '')))
      .toBeGreaterThan(100);
    await page.keyboard.press('0');
    expect(Number((await page.textContent('[data-testid=zoom]'))?.replace('%', ''))).toBeLessThan(
      100,
    );
    await page.keyboard.press('y');
    await expect.poll(() => page.isVisible('.divider')).toBe(true);
    await shot(page, '13-view-split');
    await page.keyboard.press('y');
    await page.keyboard.down('\\');
    await expect
      .poll(() =>
        page
          .locator('[data-testid=before]')
          .evaluate(
            (el) =>
              (
                globalThis as unknown as { getComputedStyle(e: unknown): { visibility: string } }
              ).getComputedStyle(el).visibility,
          ),
      )
      .toBe('visible');
    await shot(page, '14-view-before');
    await page.keyboard.up('\\');
  });

  it('saves, applies and deletes a preset', async () => {
    await page.fill('#adj-exposure', '1.5');
    await page.click('button:has-text("Save…")');
    await page.fill('[data-testid=preset-name]', 'Bright');
    await page.click('button[type=submit]:has-text("Save")');
    await page.fill('#adj-exposure', '-1');
    await page.selectOption('[data-testid=preset-select]', 'Bright');
    expect(await page.inputValue('#adj-exposure')).toBe('1.5');
    const stored = await page.evaluate(() => localStorage.getItem('bracketeer.presets.v1'));
    expect(JSON.parse(stored ?? '[]')).toMatchObject([{ name: 'Bright', op: 'drago03' }]);
    await shot(page, '15-view-preset');
    await page.click('button[aria-label="Delete preset"]');
    expect(await page.evaluate(() => localStorage.getItem('bracketeer.presets.v1'))).toBe('[]');
  });

  it('had no uncaught error', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

/** Stand-ins for the DOM types this Node-side file cannot name (it compiles without the DOM lib). */
interface CSSProps {
  transform: string;
}
interface PageInput {
  value: string;
  readonly dataset: Record<string, string | undefined>;
  dispatchEvent(e: Event): boolean;
}
interface PageDocument {
  createElement(tag: 'canvas'): { getContext(kind: 'webgl2'): object | null };
  querySelector(selector: string): unknown;
}
interface PageWindow {
  readonly document: PageDocument;
  requestAnimationFrame(fn: () => void): number;
}
