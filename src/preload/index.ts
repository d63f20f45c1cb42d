/**
 * Preload bridge. The typed API (one function per contract entry in src/shared) arrives with the
 * app issue; until then it exposes only the app's version, through contextBridge, nothing raw.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('bracketeer', Object.freeze({ apiVersion: 0 }));
