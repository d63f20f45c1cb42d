/**
 * The main window with the app's secure defaults: context isolation, sandbox, no Node
 * integration, web security on, no <webview>, no navigation on drag-and-drop; its size and
 * position are remembered in the settings.
 */
import { BrowserWindow, screen } from 'electron';
import type { AppOrigin } from './app-origin.js';
import type { Settings } from './settings.js';

/** Options of {@link createMainWindow}. */
export interface MainWindowOptions {
  readonly origin: AppOrigin;
  /** Absolute path of the built preload script. */
  readonly preload: string;
  /** Saved placement (ignored when off every screen). */
  readonly bounds?: Settings['window'];
}

function onSomeScreen(b: NonNullable<Settings['window']>): boolean {
  if (b.x === undefined || b.y === undefined) return false;
  const { x, y } = b;
  return screen
    .getAllDisplays()
    .some(
      (d) =>
        x + 100 > d.workArea.x &&
        y + 50 > d.workArea.y &&
        x < d.workArea.x + d.workArea.width - 100 &&
        y < d.workArea.y + d.workArea.height - 50,
    );
}

/** Creates the window and loads the app's page into it. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const b = options.bounds;
  const place = b && onSomeScreen(b) ? { x: b.x, y: b.y } : {};
  const win = new BrowserWindow({
    width: b?.width ?? 1280,
    height: b?.height ?? 800,
    ...place,
    minWidth: 800,
    minHeight: 500,
    title: 'Bracketeer',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  if (b?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  if (options.origin.kind === 'dev') void win.loadURL(options.origin.origin);
  else void win.loadFile(options.origin.indexFile);
  return win;
}

/** The window's placement for the settings. */
export function windowPlacement(win: BrowserWindow): NonNullable<Settings['window']> {
  const r = win.getNormalBounds();
  return {
    x: Math.round(r.x),
    y: Math.round(r.y),
    width: Math.max(400, Math.round(r.width)),
    height: Math.max(300, Math.round(r.height)),
    maximized: win.isMaximized(),
  };
}
