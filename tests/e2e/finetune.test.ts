/**
 * End to end: the Train tab in Debian's chromium against a real `bracketeer serve` child process
 * with a tiny random-weights model and a generated stack: start a fine-tune, watch the chart and
 * the step advance, cancel it (cancelled state, no model), then a short run to completion shows
 * the new model in the list; the editor shows which model a photo uses. Skips when /usr/bin/chromium is missing.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticStack } from '../unit/model/finetune/fixtures.js';
import { installTinyModel, REPO, tempDir } from '../integration/server/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO, 'test-results', 'e2e');
const run = promisify(execFile);
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

let tmp: { dir: string; remove: () => Promise<void> };
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
let models = '';
let stack = '';
const pageErrors: string[] = [];

function startServe(env: NodeJS.ProcessEnv, dataDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['bin/bracketeer.js', 'serve', '--port', '0', '--data-dir', dataDir],
      { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server = child;
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`serve did not print a URL: ${out}${err}`)),
      30_000,
    );
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

async function attr(selector: string, name: string): Promise<string | null> {
  return page.getAttribute(selector, name);
}

async function waitUntil(test: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!(await test())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasChromium)('Train tab in a browser against bracketeer serve', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e-train');
    models = join(tmp.dir, 'models');
    stack = join(tmp.dir, 'stack');
    const worker = join(REPO, 'out', 'cli', 'finetune-worker.js');
    const bundleWorker = `
      import { build } from 'esbuild';
      import { nodeBundleOptions } from './scripts/esbuild-node.mjs';
      await build(nodeBundleOptions('src/main/services/jobs/finetune-worker.ts', ${JSON.stringify(worker)}));
    `;
    await Promise.all([
      run('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
        cwd: REPO,
      }),
      // scripts/build-cli.mjs does not bundle the fine-tune worker (yet): bundle it here too
      run(process.execPath, ['scripts/build-cli.mjs'], { cwd: REPO }),
      run(process.execPath, ['--input-type=module', '-e', bundleWorker], { cwd: REPO }),
      installTinyModel(models, 'multi-exposure-lite'),
      writeSyntheticStack(stack, 64, 48, 11),
      mkdir(SHOTS, { recursive: true }),
    ]);
    const url = await startServe(
      { ...process.env, BRACKETEER_MODELS_DIR: models, BRACKETEER_BACKEND: 'cpu' },
      join(tmp.dir, 'data'),
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.click('[data-testid=tab-train]');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
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
    await page.screenshot({ path: join(SHOTS, 'train-1-running.png') });
    await page.click('[data-testid=train-cancel]');
    await waitUntil(
      async () => (await attr('[data-testid=train-progress]', 'data-state')) === 'cancelled',
      60_000,
      'the cancelled state',
    );
    await page.screenshot({ path: join(SHOTS, 'train-2-cancelled.png') });
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
    await page.screenshot({ path: join(SHOTS, 'train-3-done.png'), fullPage: true });
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
    await page.screenshot({ path: join(SHOTS, 'train-4-editor-badge.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
