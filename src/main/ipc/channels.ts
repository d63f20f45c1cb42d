/**
 * The IPC channels between main and the preload, and what travels on them (Electron-free; the
 * preload bundles this file). The contract itself lives in src/shared/api/contract.ts: these
 * channels only carry its method names, requests, responses and events.
 */
import type { ApiErrorBody } from '../../shared/api/errors.js';
import type { EventMessage } from '../../shared/api/contract.js';

/** `ipcRenderer.invoke(INVOKE_CHANNEL, method, request)` → {@link IpcReply}. */
export const INVOKE_CHANNEL = 'bracketeer:invoke';
/** `webContents.send(EVENT_CHANNEL, message)` with an {@link EventMessage}. */
export const EVENT_CHANNEL = 'bracketeer:event';
/** `ipcRenderer.send(DROP_CHANNEL, paths)`: absolute paths of files dropped on the window. */
export const DROP_CHANNEL = 'bracketeer:drop';

/**
 * The answer to one invoke. Errors travel as values (an exception thrown by an IPC handler
 * reaches the renderer as a bare message, losing its code); an image travels as one binary frame
 * (header + samples, see src/shared/api/image-wire.ts), never as a number array.
 */
export type IpcReply =
  | { readonly ok: true; readonly wire: 'json'; readonly value: unknown }
  | { readonly ok: true; readonly wire: 'image'; readonly frame: Uint8Array }
  | { readonly ok: false; readonly error: ApiErrorBody['error'] };

/** An event as sent on {@link EVENT_CHANNEL}. */
export type IpcEvent = EventMessage;
