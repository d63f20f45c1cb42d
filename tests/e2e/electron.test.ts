/**
 * End to end in Electron itself (playwright-core's `_electron`): the app built by electron-vite
 * into a fresh folder under out/, started with a temp user-data folder and a tiny model. Checks
 * the window opens, the bridge is exactly `window.bracketeer` with invoke/on, the page has no
 * Node, app.info answers over IPC, and navigation / window.open to a remote site are blocked.
 *
 * Skips with a message when the Electron binary is not installed (node_modules/electron's
 * postinstall download did not happen, e.g. offline) or there is no display. It never calls
 * require('electron'), which would try to download the binary.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTinyModel, REPO, tempDir } from '../integration/server/helpers.js';

const run = promisify(execFile);
const SHOTS = join(REPO, 'test-results', 'e2e');

/**
 * The Electron executable, found the way node_modules/electron/index.js finds it (path.txt, or
 * ELECTRON_OVERRIDE_DIST_PATH) but without its download fallback; or why there is none.
 */
function electronBinary(): { path: string } | { missing: string } {
  const pkgDir = join(REPO, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const p = join(override, relative || 'electron');
    return existsSync(p)
      ? { path: p }
      : { missing: `ELECTRON_OVERRIDE_DIST_PATH: ${p} does not exist` };
  }
  if (!relative) {
    return {
      missing: `${pathFile} is missing: the Electron binary was never downloaded (run "npx install-electron" with network access)`,
    };
  }
  const p = join(pkgDir, 'dist', relative);
  return existsSync(p) ? { path: p } : { missing: `${p} does not exist` };
}

const binary = electronBinary();
const noDisplay =
  process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason =
  'missing' in binary
    ? `Electron binary not available: ${binary.missing}`
    : noDisplay
      ? 'no display (set DISPLAY, e.g. run under xvfb-run)'
      : null;
if (skipReason) console.warn(`Electron e2e skipped: ${skipReason}`);

let tmp: { dir: string; remove: () => Promise<void> };
let outDir = '';
let app: ElectronApplication | null = null;
let page: Page;
const mainLog: string[] = [];

interface BridgeShape {
  bracketeer?: Record<string, unknown>;
}

describe.skipIf(skipReason !== null)('Electron app', () => {
  beforeAll(async () => {
    if ('missing' in binary) return;
    tmp = await tempDir('electron');
    const models = join(tmp.dir, 'models');
    await installTinyModel(models, 'multi-exposure-lite');
    outDir = join(REPO, 'out', `e2e-electron-${process.pid}`);
    await run(
      process.execPath,
      [join(REPO, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir],
      {
        cwd: REPO,
      },
    );
    app = await _electron.launch({
      executablePath: binary.path,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        join(outDir, 'main', 'index.js'),
      ],
      cwd: REPO,
      env: {
        ...process.env,
        BRACKETEER_USER_DATA: join(tmp.dir, 'userData'),
        BRACKETEER_MODELS_DIR: models,
        BRACKETEER_BACKEND: 'cpu',
        ELECTRON_RENDERER_URL: '',
      },
      timeout: 60_000,
    });
    app.process().stderr?.on('data', (d: Buffer) => mainLog.push(d.toString()));
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 240_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    if (outDir) await rm(outDir, { recursive: true, force: true });
    await tmp?.remove();
  });

  it('opens one window on the app page', async () => {
    expect(page.url()).toMatch(/^file:\/\/.*\/renderer\/index\.html/);
    const windows = await app!.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()),
    );
    expect(windows).toEqual([page.url()]);
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'electron-window.png') });
  });

  it('exposes exactly invoke and on as window.bracketeer, and no Node', async () => {
    const shape = await page.evaluate(() => {
      const g = globalThis as unknown as BridgeShape & { require?: unknown; process?: unknown };
      const b = g.bracketeer ?? {};
      return {
        keys: Object.keys(b).sort(),
        invoke: typeof b.invoke,
        on: typeof b.on,
        require: typeof g.require,
        process: typeof g.process,
      };
    });
    expect(shape).toEqual({
      keys: ['invoke', 'on'],
      invoke: 'function',
      on: 'function',
      require: 'undefined',
      process: 'undefined',
    });
  });

  it('answers app.info through IPC and reports validation errors naming the field', async () => {
    const info = await page.evaluate(async () => {
      const b = (globalThis as unknown as BridgeShape).bracketeer as {
        invoke(
          m: string,
          r: unknown,
        ): Promise<{ name: string; apiVersion: number; models: { id: string }[] }>;
      };
      return b.invoke('app.info', {});
    });
    expect(info.name).toBe('Bracketeer');
    expect(info.apiVersion).toBeGreaterThanOrEqual(1);
    expect(info.models.map((m) => m.id)).toContain('multi-exposure-lite');
    const message = await page.evaluate(async () => {
      const b = (globalThis as unknown as BridgeShape).bracketeer as {
        invoke(m: string, r: unknown): Promise<unknown>;
      };
      return b.invoke('image.preview', { path: 'relative.jpg' }).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
    });
    expect(message).toContain('path: must be an absolute path');
  });

  it('blocks navigation and window.open to a remote site', async () => {
    const before = page.url();
    const opened = await page.evaluate(() => {
      const g = globalThis as unknown as { open(u: string): unknown };
      return g.open('https://example.com/') === null;
    });
    expect(opened).toBe(true);
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href =
        'https://example.com/';
    });
    await page.waitForTimeout(1500);
    expect(page.url()).toBe(before);
    const windows = await app!.evaluate(
      ({ BrowserWindow }) => BrowserWindow.getAllWindows().length,
    );
    expect(windows).toBe(1);
  });
});
