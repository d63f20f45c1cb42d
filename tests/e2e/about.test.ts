/**
 * End to end: the About box says which engine runs the model and why the others are not used,
 * in Debian's chromium against a real `bracketeer serve` whose backend is forced to tfjs-cpu
 * (BRACKETEER_BACKEND=cpu), so the expected lines are known in advance. Skips when
 * /usr/bin/chromium is missing.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTinyModel, tempDir } from '../integration/server/helpers.js';
import { buildApp, hasChromium, launchChromium, openPage, shot } from './harness.js';
import { startServe, stopServe } from './serve.js';

let tmp: { dir: string; remove: () => Promise<void> };
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let url = '';

describe.skipIf(!hasChromium)('About box', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e-about');
    const models = join(tmp.dir, 'models');
    await Promise.all([buildApp(), installTinyModel(models, 'multi-exposure-lite')]);
    const serve = await startServe({
      ...process.env,
      BRACKETEER_MODELS_DIR: models,
      BRACKETEER_BACKEND: 'cpu',
      BRACKETEER_THREADS: '1',
    });
    server = serve.child;
    url = serve.url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(server);
    await tmp?.remove();
  });

  it('shows the inference engine, the training backend and why ONNX Runtime is not used', async () => {
    const errors: string[] = [];
    const page = await openPage(browser!, 1100, 700, { errors });
    await page.goto(url);
    await page.click('[data-testid=about]');
    const inference = page.locator('[data-testid=about-inference]');
    await inference.waitFor({ timeout: 60_000 });
    expect(await inference.textContent()).toBe('cpu (TensorFlow.js, 1 thread)');
    expect(await page.locator('[data-testid=about-training]').textContent()).toBe(
      'cpu (TensorFlow.js)',
    );
    const notUsed = await page.locator('[data-testid=about-not-used] li').allTextContents();
    expect(notUsed).toContain('onnxruntime: not tried: BRACKETEER_BACKEND prefers cpu');
    expect(new Set(notUsed).size).toBe(notUsed.length);
    expect(await page.locator('[data-testid=about-box]').textContent()).toContain(
      'multi-exposure-lite (default)',
    );
    await shot(page, 'about');
    await page.click('[data-testid=about-close]');
    await page.locator('[data-testid=about-box]').waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
