/** Turns the plain-data menu template (menu-template.ts) into Electron's application menu. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuSpec } from './menu-template.js';

function convert(spec: MenuSpec, onAction: (a: MenuAction) => void): MenuItemConstructorOptions {
  switch (spec.type) {
    case 'separator':
      return { type: 'separator' };
    case 'role':
      return { role: spec.role, ...(spec.label ? { label: spec.label } : {}) };
    case 'submenu':
      return { label: spec.label, submenu: spec.items.map((s) => convert(s, onAction)) };
    case 'action':
      return {
        label: spec.label,
        accelerator: spec.accelerator,
        registerAccelerator: spec.registerAccelerator ?? true,
        enabled: spec.enabled ?? true,
        click: () => onAction(spec.action),
      };
  }
}

/** Installs `template` as the application menu; clicks on custom items call `onAction`. */
export function installMenu(
  template: readonly MenuSpec[],
  onAction: (a: MenuAction) => void,
): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(template.map((s) => convert(s, onAction))));
}
