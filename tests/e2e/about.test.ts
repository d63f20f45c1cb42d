/**
 * End to end: the About box says which engine runs the model and why the others are not used,
 * in Debian's chromium against a real `bracketeer serve` whose backend is forced to tfjs-cpu
 * (BRACKETEER_BACKEND=cpu), so the expected lines are known in advance. Skips when
 * /usr/bin/chromium is missing.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTinyModel, REPO, tempDir } from '../integration/server/helpers.js';
import { startServe, stopServe } from './serve.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(REPO, 'test-results', 'e2e');
const run = promisify(execFile);
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

let tmp: { dir: string; remove: () => Promise<void> };
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let url = '';

describe.skipIf(!hasChromium)('About box', () => {
  beforeAll(async () => {
    tmp = await tempDir('e2e-about');
    const models = join(tmp.dir, 'models');
    await Promise.all([
      run('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
        cwd: REPO,
      }),
      run(process.execPath, ['scripts/build-cli.mjs'], { cwd: REPO }),
      installTinyModel(models, 'multi-exposure-lite'),
      mkdir(SHOTS, { recursive: true }),
    ]);
    const serve = await startServe({
      ...process.env,
      BRACKETEER_MODELS_DIR: models,
      BRACKETEER_BACKEND: 'cpu',
      BRACKETEER_THREADS: '1',
    });
    server = serve.child;
    url = serve.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopServe(server);
    await tmp?.remove();
  });

  it('shows the inference engine, the training backend and why ONNX Runtime is not used', async () => {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
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
    await page.screenshot({ path: join(SHOTS, 'about.png') });
    await page.click('[data-testid=about-close]');
    await page.locator('[data-testid=about-box]').waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
