/**
 * Electron main process: one sandboxed window on the app's page, the backend services (the same
 * ones `bracketeer serve` uses) behind the typed IPC contract, the native menu, open-file and
 * drag-and-drop, recent files and settings in the user-data folder, and a log file.
 */
import { existsSync, statSync } from 'node:fs';
import path, { join } from 'node:path';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { appOrigin, type AppOrigin } from './app/app-origin.js';
import { logFilePath, openLogFile, type LogFile } from './app/log-file.js';
import { installMenu } from './app/menu.js';
import { buildMenuTemplate, type MenuAction } from './app/menu-template.js';
import { addRecent, pruneRecent } from './app/recent-files.js';
import { hardenSession, lockDownWebContents } from './app/security.js';
import { settingsFile, SettingsStore } from './app/settings.js';
import { createMainWindow, windowPlacement } from './app/window.js';
import { registerIpc, sendMenuCommand } from './ipc/register.js';
import { createServices, workerRunner, type Services } from './services/index.js';
import { runtimeSummary } from '../shared/api/runtime-summary.js';

/** File types offered by File ▸ Open… (the services decide what they can read). */
const IMAGE_EXTENSIONS = [
  'jpg',
  'jpeg',
  'png',
  'tif',
  'tiff',
  'webp',
  'avif',
  'heic',
  'hdr',
  'exr',
];

const isDev = !app.isPackaged && Boolean(process.env.ELECTRON_RENDERER_URL);
const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

interface Running {
  readonly log: LogFile;
  readonly settings: SettingsStore;
  readonly services: Services;
  readonly origin: AppOrigin;
  window: BrowserWindow | null;
}

let running: Running | null = null;
/** Files handed to the app before it was ready (macOS open-file, command line). */
const pendingFiles: string[] = [];

// A separate user-data folder (tests, portable use): settings, library, logs all live there.
if (process.env.BRACKETEER_USER_DATA) {
  app.setPath('userData', path.resolve(process.env.BRACKETEER_USER_DATA));
}
// Shipped models sit in <resources>/models (electron-builder extraResources); the model worker
// thread inherits this environment.
if (app.isPackaged && !process.env.BRACKETEER_MODELS_DIR) {
  const shipped = join(process.resourcesPath, 'models');
  if (existsSync(shipped)) process.env.BRACKETEER_MODELS_DIR = shipped;
}

app.enableSandbox();
// A second start hands its files to the first instance (see 'second-instance') and ends.
if (!app.requestSingleInstanceLock()) app.exit(0);

/** What a path is now: 'file', 'folder', or null (missing, unreadable, or something else). */
function kindOf(p: string): 'file' | 'folder' | null {
  try {
    const st = statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : null;
  } catch {
    return null;
  }
}

/**
 * Images (by extension) and folders among command-line arguments, as absolute paths (switches,
 * the app's own script and anything else are ignored).
 */
function pathsFromArgv(argv: readonly string[]): string[] {
  return argv.slice(1).filter((a) => {
    if (a.startsWith('-') || !path.isAbsolute(a)) return false;
    if (path.resolve(a) === path.resolve(app.getAppPath())) return false;
    const kind = kindOf(a);
    const ext = path.extname(a).slice(1).toLowerCase();
    return kind === 'folder' || (kind === 'file' && IMAGE_EXTENSIONS.includes(ext));
  });
}

function openPaths(paths: readonly string[]): void {
  const r = running;
  if (!r) {
    pendingFiles.push(...paths);
    return;
  }
  const files = paths.filter((p) => kindOf(p) === 'file');
  const folders = paths.filter((p) => kindOf(p) === 'folder');
  if (files.length > 0) {
    void remember(files);
    sendMenuCommand({ command: 'file.open', paths: files });
  }
  for (const folder of folders) sendMenuCommand({ command: 'file.import-folder', folder });
  focusWindow();
}

function focusWindow(): void {
  const win = running?.window;
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.focus();
}

async function remember(files: readonly string[]): Promise<void> {
  const r = running;
  if (!r) return;
  try {
    await r.settings.update((s) => {
      let recent = s.recentFiles;
      for (const f of [...files].reverse())
        recent = addRecent(recent, f, undefined, caseInsensitive);
      return { ...s, recentFiles: recent, lastOpenFolder: path.dirname(files[0]) };
    });
  } catch (err) {
    r.log.error(`recent files: ${(err as Error).message}`);
  }
  refreshMenu();
}

function refreshMenu(): void {
  const r = running;
  if (!r) return;
  const template = buildMenuTemplate({
    platform: process.platform,
    isDev,
    recentFiles: r.settings.get().recentFiles,
  });
  installMenu(template, (action) => void onMenuAction(action));
}

async function onMenuAction(action: MenuAction): Promise<void> {
  const r = running;
  if (!r) return;
  const win = r.window && !r.window.isDestroyed() ? r.window : null;
  const defaultPath = r.settings.get().lastOpenFolder;
  switch (action.kind) {
    case 'open-files': {
      const opts: Electron.OpenDialogOptions = {
        title: 'Open photos',
        defaultPath,
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Images', extensions: IMAGE_EXTENSIONS },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const res = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      if (!res.canceled && res.filePaths.length > 0) openPaths(res.filePaths);
      return;
    }
    case 'import-folder': {
      const opts: Electron.OpenDialogOptions = {
        title: 'Import a folder into the library',
        defaultPath,
        properties: ['openDirectory'],
      };
      const res = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      if (!res.canceled && res.filePaths[0]) {
        await r.settings.update((s) => ({ ...s, lastOpenFolder: res.filePaths[0] }));
        sendMenuCommand({ command: 'file.import-folder', folder: res.filePaths[0] });
      }
      return;
    }
    case 'open-recent':
      if (existsSync(action.file)) openPaths([action.file]);
      else {
        r.log.warn(`recent file ${action.file} no longer exists; removed from the list`);
        await r.settings.update((s) => ({
          ...s,
          recentFiles: pruneRecent(s.recentFiles, existsSync),
        }));
        refreshMenu();
        void dialog.showMessageBox({
          type: 'warning',
          message: `${action.file} no longer exists.`,
        });
      }
      return;
    case 'clear-recent':
      await r.settings.update((s) => ({ ...s, recentFiles: [] }));
      refreshMenu();
      return;
    case 'export':
      sendMenuCommand({ command: 'file.export' });
      return;
    case 'view-library':
      sendMenuCommand({ command: 'view.library' });
      return;
    case 'view-editor':
      sendMenuCommand({ command: 'view.editor' });
      return;
    case 'about':
      await showAbout(r);
      return;
  }
}

async function showAbout(r: Running): Promise<void> {
  let runtime: string[];
  try {
    const s = runtimeSummary(await r.services.handlers['app.info']({}));
    runtime = [
      `Inference: ${s.inference}`,
      ...(s.training ? [`Training: ${s.training}`] : []),
      ...s.notUsed.map((line) => `Not used: ${line}`),
    ];
  } catch (err) {
    runtime = [`Inference: unavailable: ${(err as Error).message}`];
  }
  const detail = [
    `Version ${app.getVersion()}`,
    ...runtime,
    `Electron ${process.versions.electron}, Node ${process.versions.node}`,
    `Log file: ${r.log.file}`,
  ].join('\n');
  await dialog.showMessageBox({
    type: 'info',
    title: 'About Bracketeer',
    message: 'Bracketeer',
    detail,
  });
}

function openWindow(r: Running): void {
  const win = createMainWindow({
    origin: r.origin,
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    bounds: r.settings.get().window,
  });
  r.window = win;
  win.on('close', () => {
    void r.settings.update((s) => ({ ...s, window: windowPlacement(win) })).catch(() => undefined);
  });
  win.on('closed', () => {
    if (r.window === win) r.window = null;
  });
  win.webContents.on('render-process-gone', (_e, details) => {
    r.log.error(`renderer process gone: ${details.reason} (exit code ${details.exitCode})`);
  });
  win.webContents.once('did-finish-load', () => {
    if (pendingFiles.length > 0) openPaths(pendingFiles.splice(0));
  });
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const log = openLogFile(logFilePath(userData), { echo: isDev });
  log.info(
    `Bracketeer ${app.getVersion()} starting (Electron ${process.versions.electron}, ${process.platform})`,
  );
  process.on('uncaughtException', (err) => log.error(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) =>
    log.error(
      `unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    ),
  );
  const settings = await SettingsStore.open(settingsFile(userData), (line) => log.warn(line));
  const origin = appOrigin(
    process.env.ELECTRON_RENDERER_URL,
    join(import.meta.dirname, '../renderer/index.html'),
  );
  const services = createServices({
    dataDir: userData,
    runner: workerRunner({
      script: join(import.meta.dirname, 'bracket-worker.js'),
      log: (l) => log.warn(l),
    }),
    version: app.getVersion(),
  });
  running = { log, settings, services, origin, window: null };
  hardenSession(session.defaultSession, origin, log);
  lockDownWebContents(origin, log);
  registerIpc({
    services,
    origin,
    log,
    onDropped: (files, folders) => openPaths([...files, ...folders]),
  });
  refreshMenu();
  pendingFiles.push(...pathsFromArgv(process.argv));
  openWindow(running);
}

app.on('open-file', (event, file) => {
  event.preventDefault();
  openPaths([file]);
});

app.on('second-instance', (_e, argv) => {
  const paths = pathsFromArgv(argv);
  if (paths.length > 0) openPaths(paths);
  else focusWindow();
});

void app.whenReady().then(async () => {
  try {
    await start();
  } catch (err) {
    dialog.showErrorBox('Bracketeer could not start', (err as Error).stack ?? String(err));
    app.exit(1);
    return;
  }
  app.on('activate', () => {
    if (running && BrowserWindow.getAllWindows().length === 0) openWindow(running);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('will-quit', (event) => {
  const r = running;
  if (!r || quitting) return;
  quitting = true;
  event.preventDefault();
  void (async () => {
    try {
      await r.services.close();
      await r.settings.flush();
      r.log.info('quit');
    } catch (err) {
      r.log.error(`shutdown: ${(err as Error).message}`);
    }
    app.quit();
  })();
});

/** Opens an https:// link in the user's browser (never inside the app). */
export function openExternal(url: string): void {
  if (/^https:\/\//.test(url)) void shell.openExternal(url);
}
