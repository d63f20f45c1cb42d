/**
 * What the browser (e2e) suites share: Debian's chromium and whether it is installed, the
 * screenshot folder, building the renderer and the CLI, launching chromium, opening a page that
 * collects its uncaught errors, polling, screenshots and the status line. Start the server with
 * ./serve.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../integration/server/helpers.js';

/** Debian's chromium, the browser every suite drives through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether {@link CHROMIUM} is installed; when it is not, a warning is printed once. */
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

/** The folder the suites write their screenshots to: test-results/e2e in the repository. */
export const SHOTS = join(REPO, 'test-results', 'e2e');

/** `execFile` as a promise (resolves to {stdout, stderr}; rejects on a non-zero exit). */
const run = promisify(execFile);

/**
 * Builds the renderer into out/renderer (`vite build -c vite.renderer.config.ts`) and the CLI
 * with its worker threads into out/cli (`scripts/build-cli.mjs`) in parallel, and creates
 * {@link SHOTS}. Rejects when a build fails.
 */
export async function buildApp(): Promise<void> {
  await Promise.all([
    run('npx', ['vite', 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
      cwd: REPO,
    }),
    run(process.execPath, ['scripts/build-cli.mjs'], { cwd: REPO }),
    mkdir(SHOTS, { recursive: true }),
  ]);
}

/**
 * Launches {@link CHROMIUM} headless with --no-sandbox, --disable-gpu and
 * --disable-background-networking.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Opens a page with a `width`×`height` CSS px viewport; sets its default timeout (ms) when
 * `timeout` is given, and appends the message of every uncaught page error to `errors` when given.
 */
export async function openPage(
  browser: Browser,
  width: number,
  height: number,
  opts: { timeout?: number; errors?: string[] } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  if (opts.timeout !== undefined) page.setDefaultTimeout(opts.timeout);
  const { errors } = opts;
  if (errors) page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

/**
 * Calls `fn` every `everyMs` ms (default 25) until `ok` accepts its value, and returns that
 * value; throws naming `what` (and the last value) when `ms` ms have passed without one.
 */
export async function poll<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  ms: number,
  what: string,
  everyMs = 25,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what} (last: ${String(v)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Saves a screenshot of the page's viewport (with `fullPage`, all of it) as SHOTS/<name>.png. */
export async function shot(
  page: Page,
  name: string,
  opts: { fullPage?: boolean } = {},
): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), ...opts });
}

/** The text of the app's status line ([data-testid=status-text]); '' when it has none. */
export async function statusText(page: Page): Promise<string> {
  return (await page.textContent('[data-testid=status-text]')) ?? '';
}

/** The 2D-canvas surface a pixel read-back needs (the suites compile without the DOM lib). */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
    options: { willReadFrequently: boolean },
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
