/**
 * The renderer's files (out/renderer when built) or a placeholder page, confined to their folder.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { packageRoot } from '../main/services/package-root.js';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The built renderer folder (`out/renderer` with an index.html), or null when not built. */
export function defaultRendererDir(): string | null {
  const root = packageRoot();
  const dir = root ? path.join(root, 'out', 'renderer') : null;
  return dir && existsSync(path.join(dir, 'index.html')) ? dir : null;
}

const PLACEHOLDER = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bracketeer</title></head>
<body>
<h1>Bracketeer server is running</h1>
<p>The user interface is not built yet: run <code>npm run build</code>, then restart
<code>bracketeer serve</code>. The API answers at <code>POST /api/&lt;method&gt;</code> with the
bearer token, events stream on <code>/events</code>.</p>
</body>
</html>
`;

/**
 * Serves `urlPath` from `dir` (or the placeholder page for "/" when `dir` is null).
 * @returns false when there is no such file (the caller answers 404)
 */
export async function serveStatic(
  res: ServerResponse,
  dir: string | null,
  urlPath: string,
  headers: Record<string, string>,
  headOnly: boolean,
): Promise<boolean> {
  let rel: string;
  try {
    rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).replace(/^\/+/, '');
  } catch {
    return false; // malformed escape
  }
  if (!dir) {
    if (rel !== 'index.html') return false;
    send(res, Buffer.from(PLACEHOLDER), MIME['.html'], headers, headOnly);
    return true;
  }
  if (rel.includes('\0')) return false;
  const file = path.resolve(dir, rel);
  const root = await realpath(dir);
  let real: string;
  try {
    real = await realpath(file);
    if (!(await stat(real)).isFile()) return false;
  } catch {
    return false;
  }
  const within = path.relative(root, real);
  if (within.startsWith('..') || path.isAbsolute(within)) return false;
  const type = MIME[path.extname(real).toLowerCase()] ?? 'application/octet-stream';
  send(res, await readFile(real), type, headers, headOnly);
  return true;
}

function send(
  res: ServerResponse,
  body: Buffer,
  type: string,
  headers: Record<string, string>,
  headOnly: boolean,
): void {
  res.writeHead(200, {
    ...headers,
    'content-type': type,
    'content-length': String(body.length),
    'cache-control': 'no-cache',
  });
  res.end(headOnly ? undefined : body);
}
