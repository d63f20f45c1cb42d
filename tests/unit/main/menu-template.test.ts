import { describe, expect, it } from 'vitest';
import {
  actionItems,
  buildMenuTemplate,
  type MenuSpec,
} from '../../../src/main/app/menu-template.js';

function roles(items: readonly MenuSpec[]): string[] {
  const out: string[] = [];
  for (const i of items) {
    if (i.type === 'role') out.push(i.role);
    else if (i.type === 'submenu') out.push(...roles(i.items));
  }
  return out;
}

function topLabels(items: readonly MenuSpec[]): string[] {
  return items.map((i) =>
    i.type === 'submenu' ? i.label.replace('&', '') : i.type === 'role' ? i.role : '-',
  );
}

describe('menu template', () => {
  it('has File, Edit, View, Help with the documented shortcuts', () => {
    const t = buildMenuTemplate({ platform: 'linux', isDev: false, recentFiles: [] });
    expect(topLabels(t)).toEqual(['File', 'Edit', 'View', 'Help']);
    const shortcuts = Object.fromEntries(actionItems(t).map((a) => [a.action.kind, a.accelerator]));
    expect(shortcuts['open-files']).toBe('CmdOrCtrl+O');
    expect(shortcuts.export).toBe('CmdOrCtrl+Shift+E');
    expect(shortcuts['view-library']).toBe('G');
    expect(shortcuts['view-editor']).toBe('E');
    expect(actionItems(t).some((a) => a.action.kind === 'import-folder')).toBe(true);
    expect(actionItems(t).some((a) => a.action.kind === 'about')).toBe(true);
    // Single-key shortcuts are shown but never registered (typing in a field must not switch views).
    for (const a of actionItems(t)) {
      if (a.accelerator && !a.accelerator.includes('+')) expect(a.registerAccelerator).toBe(false);
    }
    expect(roles(t)).toEqual(
      expect.arrayContaining(['quit', 'undo', 'copy', 'paste', 'zoomIn', 'zoomOut', 'resetZoom']),
    );
  });

  it('offers developer tools only in development', () => {
    expect(
      roles(buildMenuTemplate({ platform: 'linux', isDev: false, recentFiles: [] })),
    ).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate({ platform: 'linux', isDev: true, recentFiles: [] }))).toContain(
      'toggleDevTools',
    );
  });

  it('lists recent files under Open Recent, escaping & for mnemonics', () => {
    const t = buildMenuTemplate({
      platform: 'win32',
      isDev: false,
      recentFiles: ['C:\\P&Q\\a.jpg', '/b.tif'],
    });
    const recent = actionItems(t).filter((a) => a.action.kind === 'open-recent');
    expect(recent.map((a) => a.action)).toEqual([
      { kind: 'open-recent', file: 'C:\\P&Q\\a.jpg' },
      { kind: 'open-recent', file: '/b.tif' },
    ]);
    expect(recent[0].label).toBe('a.jpg — C:\\P&&Q\\a.jpg');
    const clear = actionItems(t).find((a) => a.label === 'Clear Recent');
    expect(clear?.enabled).toBe(true);
    const empty = buildMenuTemplate({ platform: 'linux', isDev: false, recentFiles: [] });
    expect(actionItems(empty).find((a) => a.label === 'Clear Recent')?.enabled).toBe(false);
  });

  it('puts the app menu first on macOS and Quit there instead of File', () => {
    const t = buildMenuTemplate({ platform: 'darwin', isDev: false, recentFiles: [] });
    expect(topLabels(t)).toEqual(['appMenu', 'File', 'Edit', 'View', 'Help']);
    expect(roles(t)).not.toContain('quit');
  });
});
