/**
 * End to end: the Train tab in Debian's chromium against a real `bracketeer serve` child process
 * with a tiny random-weights model and a generated stack: start a fine-tune, watch the chart and
 * the step advance, cancel it (cancelled state, no model), then a short run to completion shows
 * the new model in the list; the editor shows which model a photo uses. Skips when /usr/bin/chromium is missing.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticStack } from '../unit/model/finetune/fixtures.js';
import { installTinyModel, tempDir } from '../integration/server/helpers.js';
import { buildApp, hasChromium, launchChromium, openPage, poll, shot } from './harness.js';
import { startServe, stopServe } from './serve.js';

let tmp: { dir: string; remove: () => Promise<void> };
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
let models = '';
let stack = '';
const pageErrors: string[] = [];

async function attr(selector: string, name: string): Promise<string | null> {
  return page.getAttribute(selector, name);
}

/** Polls `test` every 100 ms until it is true; throws naming `what` after `ms` ms. */
async function waitUntil(test: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  await poll(test, (v) => v, ms, what, 100);
}

describe.skipIf(!hasChromium)('Train tab in a browser against bracketeer serve', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e-train');
    models = join(tmp.dir, 'models');
    stack = join(tmp.dir, 'stack');
    // scripts/build-cli.mjs bundles the fine-tune worker (out/cli/finetune-worker.js) too
    await Promise.all([
      buildApp(),
      installTinyModel(models, 'multi-exposure-lite'),
      writeSyntheticStack(stack, 64, 48, 11),
    ]);
    const serve = await startServe(
      { ...process.env, BRACKETEER_MODELS_DIR: models, BRACKETEER_BACKEND: 'cpu' },
      ['--data-dir', join(tmp.dir, 'data')],
    );
    server = serve.child;
    browser = await launchChromium();
    page = await openPage(browser, 1200, 860, { timeout: 20_000, errors: pageErrors });
    await page.goto(serve.url);
    await page.click('[data-testid=tab-train]');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(server, 5000);
    await tmp?.remove();
  });

  it('starts a fine-tune, shows progress and the chart, and cancels it', async () => {
    await page.waitForSelector('[data-testid=train-from] option', { state: 'attached' });
    await page.fill('[data-testid=train-folders]', stack);
    await page.fill('[data-testid=train-out]', 'e2e-cancelled');
    await page.fill('[data-testid=train-steps]', '5000');
    await page.fill('[data-testid=train-validate]', '4');
    await page.click('[data-testid=train-start]');
    await waitUntil(
      async () => Number(await attr('[data-testid=train-progress]', 'data-step')) >= 10,
      120_000,
      'step 10',
    );
    const points = Number(await attr('[data-testid=train-chart]', 'data-points'));
    expect(points).toBeGreaterThan(3);
    // before/after crops of the held-out region: reference, base and fine-tuned at ±2 EV
    await page.waitForSelector('[data-testid=train-crops] canvas >> nth=4');
    expect(await page.textContent('[data-testid=train-state]')).toBe('running');
    await shot(page, 'train-1-running');
    await page.click('[data-testid=train-cancel]');
    await waitUntil(
      async () => (await attr('[data-testid=train-progress]', 'data-state')) === 'cancelled',
      60_000,
      'the cancelled state',
    );
    await shot(page, 'train-2-cancelled');
    expect(existsSync(join(models, 'e2e-cancelled'))).toBe(false);
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('a short run finishes and its model appears in the list', async () => {
    await page.fill('[data-testid=train-out]', 'e2e-tuned');
    await page.fill('[data-testid=train-steps]', '8');
    await page.click('[data-testid=train-start]');
    await waitUntil(
      async () => (await attr('[data-testid=train-progress]', 'data-state')) === 'done',
      120_000,
      'the done state',
    );
    await page.waitForSelector('[data-testid=model-row][data-id=e2e-tuned]');
    await page.click('[data-testid=model-row][data-id=e2e-tuned] input[type=checkbox]');
    await page.waitForSelector('[data-testid=model-compare]');
    await shot(page, 'train-3-done', { fullPage: true });
    expect(existsSync(join(models, 'e2e-tuned', 'model.json'))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('the editor shows the model used for the open photo', async () => {
    await page.click('[data-testid=tab-editor]');
    await page.fill('#open-path', join(stack, 'f2.png'));
    await page.click('button[type=submit]:has-text("Open")');
    await page.waitForSelector('[data-testid=model-badge]');
    // the generated PNGs record no camera: the default model
    expect(await page.textContent('[data-testid=model-badge]')).toContain(
      'Model: multi-exposure-lite (default)',
    );
    await shot(page, 'train-4-editor-badge');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
