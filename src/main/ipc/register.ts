/**
 * Electron glue of the IPC transport: one `ipcMain.handle` channel carrying the method name
 * (checked against the contract, request validated with its schema by dispatch.ts), every
 * sender checked (our window, top frame, the app's page), events forwarded with
 * `webContents.send`. Dropped files arrive on their own channel and go back as `menu.command`.
 */
import { existsSync, statSync } from 'node:fs';
import { BrowserWindow, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { absolutePath, type EventMessage, type MenuCommand } from '../../shared/api/index.js';
import type { AppOrigin } from '../app/app-origin.js';
import type { LogFile } from '../app/log-file.js';
import type { Services } from '../services/index.js';
import { DROP_CHANNEL, EVENT_CHANNEL, INVOKE_CHANNEL, type IpcReply } from './channels.js';
import { dispatchInvoke } from './dispatch.js';
import { checkSender, type SenderVerdict } from './sender-check.js';

/** Options of {@link registerIpc}. */
export interface IpcOptions {
  readonly services: Services;
  readonly origin: AppOrigin;
  readonly log: LogFile;
  /** Called with the existing files and folders of a drop (after the sender check and validation). */
  readonly onDropped: (files: string[], folders: string[]) => void;
}

const dropSchema = z.array(absolutePath).min(1).max(1000);

function verdict(event: IpcMainEvent | IpcMainInvokeEvent, origin: AppOrigin): SenderVerdict {
  const windows = new Set(BrowserWindow.getAllWindows().map((w) => w.webContents.id));
  const frame = event.senderFrame;
  return checkSender(
    {
      webContentsId: event.sender.id,
      frameUrl: frame ? frame.url : null,
      isMainFrame: frame ? frame.parent === null : false,
    },
    windows,
    origin,
  );
}

/** Sends an event to every app window (skipping destroyed ones). */
export function sendEvent(message: EventMessage): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && !win.webContents.isDestroyed()) {
      win.webContents.send(EVENT_CHANNEL, message);
    }
  }
}

/** Sends a `menu.command` event to the app's windows. */
export function sendMenuCommand(payload: MenuCommand): void {
  sendEvent({ event: 'menu.command', payload });
}

/**
 * Registers the handlers and starts forwarding the services' events.
 * @returns a function removing them again
 */
export function registerIpc(options: IpcOptions): () => void {
  const { services, origin, log } = options;
  ipcMain.handle(
    INVOKE_CHANNEL,
    async (event, method: unknown, request: unknown): Promise<IpcReply> => {
      const v = verdict(event, origin);
      if (!v.ok) {
        log.warn(`refused IPC invoke from an untrusted sender: ${v.reason}`);
        return { ok: false, error: { code: 'forbidden', message: 'forbidden: untrusted sender' } };
      }
      return dispatchInvoke(services.handlers, method, request, (line) => log.error(line));
    },
  );
  const onDrop = (event: IpcMainEvent, paths: unknown): void => {
    const v = verdict(event, origin);
    if (!v.ok) {
      log.warn(`refused dropped files from an untrusted sender: ${v.reason}`);
      return;
    }
    const r = dropSchema.safeParse(paths);
    if (!r.success) {
      log.warn(`ignored a drop with an invalid payload: ${r.error.issues[0].message}`);
      return;
    }
    const existing = r.data.filter((p) => existsSync(p));
    const files = existing.filter((p) => statSync(p).isFile());
    const folders = existing.filter((p) => statSync(p).isDirectory());
    if (files.length + folders.length > 0) options.onDropped(files, folders);
  };
  ipcMain.on(DROP_CHANNEL, onDrop);
  const unsubscribe = services.events.subscribe(sendEvent);
  return () => {
    unsubscribe();
    ipcMain.removeHandler(INVOKE_CHANNEL);
    ipcMain.removeListener(DROP_CHANNEL, onDrop);
  };
}
