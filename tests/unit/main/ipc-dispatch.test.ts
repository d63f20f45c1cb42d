/**
 * The IPC path without Electron: the preload's bridge (src/preload/bridge.ts) over a transport
 * that calls main's dispatcher (src/main/ipc/dispatch.ts) with the real services, as
 * ipcRenderer.invoke → ipcMain.handle would. Only the Electron hop itself is left out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchInvoke } from '../../../src/main/ipc/dispatch.js';
import type { IpcReply } from '../../../src/main/ipc/channels.js';
import { createServices, type Services } from '../../../src/main/services/index.js';
import { inProcessRunner } from '../../../src/main/services/jobs/in-process-runner.js';
import { createBridgeApi } from '../../../src/preload/bridge.js';
import {
  ApiError,
  IMAGE_HEADER_BYTES,
  type BracketeerApi,
  type EventMessage,
} from '../../../src/shared/api/index.js';

let dir = '';
let png = '';
let services: Services;
let api: BracketeerApi;
let deliver: (message: unknown) => void = () => undefined;
const W = 5;
const H = 3;
const pixels = new Uint8Array(W * H * 3);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-ipc-'));
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 256;
  png = path.join(dir, 'tiny.png');
  await sharp(Buffer.from(pixels), { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(png);
  services = createServices({ runner: inProcessRunner() });
  api = createBridgeApi({
    invoke: (method, request) =>
      // structuredClone stands in for Electron's IPC serialisation of the reply.
      dispatchInvoke(services.handlers, method, request).then((r) => structuredClone(r)),
    listen: (listener) => {
      deliver = listener;
    },
  });
});

afterAll(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('IPC dispatch', () => {
  it('answers JSON methods', async () => {
    const ops = await api.invoke('ops.list', {});
    expect(ops.operators.length).toBeGreaterThan(0);
  });

  it('sends images as one binary frame that decodes to the exact pixels', async () => {
    const reply = await dispatchInvoke(services.handlers, 'image.preview', { path: png });
    expect(reply.ok && reply.wire).toBe('image');
    if (reply.ok && reply.wire === 'image') {
      expect(reply.frame).toBeInstanceOf(Uint8Array);
      expect(reply.frame.byteLength).toBe(IMAGE_HEADER_BYTES + W * H * 3);
    }
    const img = await api.invoke('image.preview', { path: png });
    expect([img.width, img.height, img.channels, img.format]).toEqual([W, H, 3, 'u8']);
    expect(Array.from(img.data)).toEqual(Array.from(pixels));
  });

  it('rejects unknown methods and invalid requests with ApiError codes naming the field', async () => {
    const unknown = await dispatchInvoke(services.handlers, 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const notString = (await dispatchInvoke(services.handlers, 42, {})) as IpcReply;
    expect(notString).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const err = await api
      .invoke('image.preview', { path: 'relative/x.png' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid');
    expect((err as ApiError).field).toBe('path');
    expect((err as ApiError).message).toBe('image.preview: path: must be an absolute path');
    const extra = await api
      .invoke('ops.list', { injected: true } as unknown as Record<string, never>)
      .catch((e: unknown) => e as ApiError);
    expect((extra as ApiError).message).toBe('ops.list: injected: is not a field of this request');
    const missing = await api
      .invoke('image.preview', { path: path.join(dir, 'nope.png') })
      .catch((e: unknown) => e as ApiError);
    expect((missing as ApiError).code).toBe('not-found');
  });

  it('delivers contract events to subscribers and drops unknown ones', () => {
    const got: unknown[] = [];
    const off = api.on('menu.command', (p) => got.push(p));
    expect(() => api.on('fs.changed' as 'menu.command', () => undefined)).toThrow(/unknown event/);
    deliver({ event: 'menu.command', payload: { command: 'view.editor' } } satisfies EventMessage);
    deliver({ event: 'fs.changed', payload: {} });
    deliver('garbage');
    off();
    deliver({ event: 'menu.command', payload: { command: 'view.library' } });
    expect(got).toEqual([{ command: 'view.editor' }]);
  });

  it('exposes exactly invoke and on, frozen', () => {
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
  });
});
