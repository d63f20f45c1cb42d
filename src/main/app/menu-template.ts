/**
 * The native menu as plain data (Electron-free, unit-tested); menu.ts turns it into an Electron
 * Menu. Items either carry a `role` (Electron's built-in behaviour: edit, zoom, quit…) or an
 * `action` that main carries out (dialogs, About) or forwards to the renderer as `menu.command`.
 */

/** What a custom item does when clicked. */
export type MenuAction =
  | { readonly kind: 'open-files' }
  | { readonly kind: 'import-folder' }
  | { readonly kind: 'open-recent'; readonly file: string }
  | { readonly kind: 'clear-recent' }
  | { readonly kind: 'export' }
  | { readonly kind: 'view-library' }
  | { readonly kind: 'view-editor' }
  | { readonly kind: 'about' };

/** Electron menu roles used here. */
export type MenuRole =
  | 'appMenu'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'zoomIn'
  | 'zoomOut'
  | 'resetZoom'
  | 'togglefullscreen'
  | 'toggleDevTools'
  | 'reload';

/** One item of the template. */
export type MenuSpec =
  | { readonly type: 'separator' }
  | {
      readonly type: 'role';
      readonly role: MenuRole;
      /** Shown instead of the role's default label. */
      readonly label?: string;
    }
  | {
      readonly type: 'action';
      readonly label: string;
      readonly action: MenuAction;
      /** Electron accelerator, e.g. "CmdOrCtrl+O". */
      readonly accelerator?: string;
      /**
       * False for single-key shortcuts (G, E): shown in the menu, but handled by the page so that
       * typing in a text field is never taken over by the menu.
       */
      readonly registerAccelerator?: boolean;
      readonly enabled?: boolean;
    }
  | { readonly type: 'submenu'; readonly label: string; readonly items: readonly MenuSpec[] };

/** What the template depends on. */
export interface MenuContext {
  /** `process.platform`. */
  readonly platform: NodeJS.Platform;
  /** Development build (adds Reload and Toggle Developer Tools). */
  readonly isDev: boolean;
  /** Recent files, most recent first. */
  readonly recentFiles: readonly string[];
}

const sep = { type: 'separator' } as const;

function basename(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

function recentMenu(files: readonly string[]): MenuSpec {
  const items: MenuSpec[] = files.map((file) => ({
    type: 'action',
    // "&" would start a mnemonic on Windows and Linux.
    label: `${basename(file).replace(/&/g, '&&')} — ${file.replace(/&/g, '&&')}`,
    action: { kind: 'open-recent', file },
  }));
  if (items.length === 0) {
    items.push({
      type: 'action',
      label: 'No recent files',
      action: { kind: 'clear-recent' },
      enabled: false,
    });
  }
  items.push(sep, {
    type: 'action',
    label: 'Clear Recent',
    action: { kind: 'clear-recent' },
    enabled: files.length > 0,
  });
  return { type: 'submenu', label: 'Open Recent', items };
}

/** Builds the menu: (app menu on macOS), File, Edit, View, Help. */
export function buildMenuTemplate(ctx: MenuContext): MenuSpec[] {
  const mac = ctx.platform === 'darwin';
  const file: MenuSpec = {
    type: 'submenu',
    label: mac ? 'File' : '&File',
    items: [
      {
        type: 'action',
        label: 'Open…',
        action: { kind: 'open-files' },
        accelerator: 'CmdOrCtrl+O',
      },
      { type: 'action', label: 'Import Folder…', action: { kind: 'import-folder' } },
      recentMenu(ctx.recentFiles),
      sep,
      {
        type: 'action',
        label: 'Export…',
        action: { kind: 'export' },
        accelerator: 'CmdOrCtrl+Shift+E',
      },
      ...(mac ? [] : [sep, { type: 'role', role: 'quit', label: 'Quit' } as const]),
    ],
  };
  const edit: MenuSpec = {
    type: 'submenu',
    label: mac ? 'Edit' : '&Edit',
    items: [
      { type: 'role', role: 'undo' },
      { type: 'role', role: 'redo' },
      sep,
      { type: 'role', role: 'cut' },
      { type: 'role', role: 'copy' },
      { type: 'role', role: 'paste' },
      { type: 'role', role: 'selectAll' },
    ],
  };
  const view: MenuSpec = {
    type: 'submenu',
    label: mac ? 'View' : '&View',
    items: [
      {
        type: 'action',
        label: 'Library',
        action: { kind: 'view-library' },
        accelerator: 'G',
        registerAccelerator: false,
      },
      {
        type: 'action',
        label: 'Editor',
        action: { kind: 'view-editor' },
        accelerator: 'E',
        registerAccelerator: false,
      },
      sep,
      { type: 'role', role: 'zoomIn' },
      { type: 'role', role: 'zoomOut' },
      { type: 'role', role: 'resetZoom' },
      sep,
      { type: 'role', role: 'togglefullscreen' },
      ...(ctx.isDev
        ? [
            sep,
            { type: 'role', role: 'reload' } as const,
            { type: 'role', role: 'toggleDevTools' } as const,
          ]
        : []),
    ],
  };
  const help: MenuSpec = {
    type: 'submenu',
    label: mac ? 'Help' : '&Help',
    items: [{ type: 'action', label: 'About Bracketeer', action: { kind: 'about' } }],
  };
  const appMenu: MenuSpec[] = mac ? [{ type: 'role', role: 'appMenu' }] : [];
  return [...appMenu, file, edit, view, help];
}

/** Every action item of a template, depth first (for tests and shortcut lists). */
export function actionItems(items: readonly MenuSpec[]): Extract<MenuSpec, { type: 'action' }>[] {
  const out: Extract<MenuSpec, { type: 'action' }>[] = [];
  for (const item of items) {
    if (item.type === 'action') out.push(item);
    else if (item.type === 'submenu') out.push(...actionItems(item.items));
  }
  return out;
}
