import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustmentsMeta, listOperators } from '../../../src/core/tonemap/index.js';
import type { ApiErrorBody, AppInfo, OpsList } from '../../../src/shared/api/index.js';
import { startServer } from '../../../src/server/index.js';
import { installTinyModel, REPO, startTestServer, tempDir, type TestServer } from './helpers.js';

const savedEnv = {
  backend: process.env.BRACKETEER_BACKEND,
  models: process.env.BRACKETEER_MODELS_DIR,
};
let t: TestServer;
let tmp: { dir: string; remove: () => Promise<void> };
let outside: { dir: string; remove: () => Promise<void> };
let root = '';
let photo = '';
let sha = '';

async function errorOf(res: Response): Promise<ApiErrorBody['error']> {
  return ((await res.json()) as ApiErrorBody).error;
}

/** GET with an explicit Host header (fetch does not let a caller set one). */
function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  tmp = await tempDir('server-api');
  outside = await tempDir('server-api-outside');
  root = join(tmp.dir, 'root');
  await mkdir(root);
  process.env.BRACKETEER_BACKEND = 'cpu';
  process.env.BRACKETEER_MODELS_DIR = join(tmp.dir, 'models');
  sha = await installTinyModel(join(tmp.dir, 'models'), 'tiny-test');
  photo = join(root, 'photo.jpg');
  await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } })
    .jpeg()
    .toFile(photo);
  await writeFile(join(outside.dir, 'other.jpg'), await readFile(photo));
  t = await startTestServer({ roots: [root] });
});

afterAll(async () => {
  await t?.close();
  await tmp?.remove();
  await outside?.remove();
  for (const [key, value] of [
    ['BRACKETEER_BACKEND', savedEnv.backend],
    ['BRACKETEER_MODELS_DIR', savedEnv.models],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('bracketeer serve: protocol', () => {
  it('refuses API calls, pages and the event socket without the token', async () => {
    const none = await t.post('ops.list', {}, null);
    expect(none.status).toBe(401);
    expect((await errorOf(none)).code).toBe('unauthorized');
    expect((await t.post('ops.list', {}, `${t.server.token}x`)).status).toBe(401);
    // 401 comes before method lookup: an unknown method does not leak the method list
    expect((await t.post('no.such', {}, null)).status).toBe(401);
    // the token is not accepted in the query string of an API call
    const q = await fetch(`${t.server.url}/api/ops.list?token=${t.server.token}`, {
      method: 'POST',
      body: '{}',
    });
    expect(q.status).toBe(401);
    expect((await fetch(`${t.server.url}/`)).status).toBe(401);
    expect((await fetch(`${t.server.url}/?token=wrong`)).status).toBe(401);
    const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/events?token=wrong`);
    const status = await new Promise<string>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('open', () => resolve('open'));
      ws.on('error', (err) => resolve(err.message));
    });
    expect(status).toBe('401');
  });

  it('serves the page with the token, a strict CSP and a cookie for its assets', async () => {
    const res = await fetch(t.server.pageUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(await res.text()).toContain('Bracketeer');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toBe(`bracketeer_${t.server.port}=${t.server.token}`);
    // the cookie alone opens the page (as the page's own asset requests do)
    expect((await fetch(`${t.server.url}/`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${t.server.url}/nope.js`, { headers: { cookie } })).status).toBe(404);
  });

  it('serves a built renderer folder and nothing outside it', async () => {
    const ui = join(tmp.dir, 'renderer');
    await mkdir(join(ui, 'assets'), { recursive: true });
    await writeFile(join(ui, 'index.html'), '<!doctype html><title>UI</title>');
    await writeFile(join(ui, 'assets', 'app.js'), 'console.log(1);');
    await writeFile(join(tmp.dir, 'secret.txt'), 'secret');
    await symlink(join(tmp.dir, 'secret.txt'), join(ui, 'assets', 'link.txt'));
    const server = await startServer({ services: t.services, port: 0, rendererDir: ui });
    try {
      const page = await fetch(server.pageUrl);
      expect(await page.text()).toContain('<title>UI</title>');
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
      const js = await fetch(`${server.url}/assets/app.js`, { headers: { cookie } });
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(js.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await fetch(`${server.url}/assets/app.js`)).status).toBe(401);
      for (const path of ['/assets/%2e%2e/%2e%2e/secret.txt', '/assets/link.txt', '/%00']) {
        const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      }
    } finally {
      await server.close();
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect(await rawGet(t.server.pageUrl, { host: 'evil.example:80' })).toBe(403);
    expect(await rawGet(t.server.pageUrl, { host: `localhost:${t.server.port}` })).toBe(200);
  });

  it('answers 404 for an unknown method, naming it', async () => {
    const res = await t.post('library.explode', {});
    expect(res.status).toBe(404);
    const e = await errorOf(res);
    expect(e.code).toBe('unknown-method');
    expect(e.message).toContain('library.explode');
    expect(e.message).toContain('ops.list');
  });

  it('answers 400 with one line naming the field for a bad payload', async () => {
    const cases: [string, unknown, string][] = [
      ['image.preview', { path: photo, maxSize: 'big' }, 'maxSize'],
      ['image.preview', { path: photo, maxSize: 8 }, 'maxSize'],
      ['image.preview', { maxSize: 100 }, 'path'],
      ['image.preview', { path: 'photo.jpg' }, 'path'],
      ['image.preview', { path: photo, colour: 'red' }, 'colour'],
      ['bracket.start', { path: photo, evs: [1, 9], outDir: root }, 'evs[1]'],
      ['bracket.start', { path: photo, evs: [1, 1], outDir: root }, 'evs'],
      ['bracket.start', { path: photo, evs: [1], outDir: root, format: 'gif' }, 'format'],
      ['jobs.cancel', { jobId: 'a b' }, 'jobId'],
      ['tonemap.preview', { path: photo, op: 'drago03', params: { bias: 'x' } }, 'params.bias'],
    ];
    for (const [method, body, field] of cases) {
      const res = await t.post(method, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(400);
      const e = await errorOf(res);
      expect(e.code).toBe('invalid');
      expect(e.field).toBe(field);
      expect(e.message).toContain(field);
      expect(e.message).not.toContain('\n');
    }
    const notJson = await fetch(`${t.server.url}/api/ops.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.server.token}`, 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('names the path for missing, outside-root and non-file paths', async () => {
    const missing = join(root, 'missing.jpg');
    let res = await t.post('image.preview', { path: missing });
    expect(res.status).toBe(404);
    let e = await errorOf(res);
    expect(e.message).toContain(missing);
    expect(e.field).toBe('path');

    const other = join(outside.dir, 'other.jpg');
    res = await t.post('image.preview', { path: other });
    expect(res.status).toBe(403);
    e = await errorOf(res);
    expect(e.message).toContain(other);
    expect(e.message).toContain('outside the allowed folders');

    // ".." cannot climb out of a root
    res = await t.post('image.preview', { path: `${root}/../../${other}` });
    expect([403, 404]).toContain(res.status);

    res = await t.post('image.preview', { path: root });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain(root);

    res = await t.post('bracket.start', { path: photo, evs: [1], outDir: join(outside.dir, 'x') });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).field).toBe('outDir');

    res = await t.post('bracket.start', { path: photo, evs: [1], outDir: photo });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain(photo);

    res = await t.post('bracket.start', { path: photo, evs: [1], outDir: root, model: 'nope' });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).field).toBe('model');
  });

  it('ops.list returns the registry: every operator and its parameter meta', async () => {
    const ops: OpsList = await t.api.invoke('ops.list', {});
    expect(ops.operators).toEqual(JSON.parse(JSON.stringify(listOperators())));
    expect(ops.adjustments).toEqual(JSON.parse(JSON.stringify(adjustmentsMeta)));
    expect(ops.operators.map((o) => o.id)).toContain(ops.defaultOperator);
  });

  it('app.info reports the version, the runtime backend and the installed models', async () => {
    const info: AppInfo = await t.api.invoke('app.info', {});
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(info.version).toBe(pkg.version);
    expect(info.runtime?.backend).toBe('cpu');
    expect(info.runtimeError).toBeNull();
    expect(info.modelsDirectory).toBe(join(tmp.dir, 'models'));
    expect(info.models).toEqual([
      {
        id: 'tiny-test',
        architecture: 'multi-exposure',
        config: 'tiny',
        description: 'random weights for tests',
        sha256: sha,
        isDefault: false,
      },
    ]);
  });
});
