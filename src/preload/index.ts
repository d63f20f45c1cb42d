/**
 * Preload bridge (sandboxed, bundled to CommonJS): exposes `window.bracketeer`, an object with
 * exactly the two functions of {@link BracketeerApi} (`invoke`, `on`) over IPC. Nothing raw
 * crosses the bridge: no ipcRenderer, no channel names, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type IpcReply } from '../main/ipc/channels.js';
import { createBridgeApi } from './bridge.js';
import { forwardDroppedFiles } from './drop.js';

const api = createBridgeApi({
  invoke: (method, request) =>
    ipcRenderer.invoke(INVOKE_CHANNEL, method, request) as Promise<IpcReply>,
  listen: (listener) => {
    ipcRenderer.on(EVENT_CHANNEL, (_event, message: unknown) => listener(message));
  },
});

contextBridge.exposeInMainWorld('bracketeer', api);
forwardDroppedFiles();
