/**
 * Which URLs are the app's own page (Electron-free, unit-tested): the built renderer's
 * index.html as a file:// URL, or the dev server's origin under `electron-vite dev`. Everything
 * else is remote content: never loaded, never navigated to, never trusted as an IPC sender.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the app's page comes from. */
export type AppOrigin =
  /** The built renderer: `index.html` (absolute path) and the folder holding its assets. */
  | { readonly kind: 'file'; readonly indexFile: string; readonly rootDir: string }
  /** The dev server, e.g. "http://localhost:5173". */
  | { readonly kind: 'dev'; readonly origin: string };

/**
 * The origin for a dev server URL (ELECTRON_RENDERER_URL) or the built index.html.
 * @param devUrl - the dev server URL when running `electron-vite dev`, else undefined
 * @param indexFile - absolute path of the built renderer's index.html
 */
export function appOrigin(devUrl: string | undefined, indexFile: string): AppOrigin {
  if (devUrl) {
    const u = new URL(devUrl);
    if (u.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)) {
      throw new Error(`ELECTRON_RENDERER_URL ${devUrl} is not a local http:// dev server`);
    }
    return { kind: 'dev', origin: u.origin };
  }
  const file = path.resolve(indexFile);
  return { kind: 'file', indexFile: file, rootDir: path.dirname(file) };
}

function filePath(url: URL): string | null {
  if (url.protocol !== 'file:') return null;
  try {
    return path.resolve(fileURLToPath(url));
  } catch {
    return null;
  }
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is the app's page itself (query and hash ignored): the only page a window may
 * show and the only frame whose IPC is answered.
 */
export function isAppPage(url: string, origin: AppOrigin): boolean {
  const u = parse(url);
  if (!u) return false;
  if (origin.kind === 'dev') return u.origin === origin.origin;
  return filePath(u) === origin.indexFile;
}

/**
 * True when the page may load `url` as a resource: files inside the renderer folder (or the dev
 * server, its WebSocket for hot reload included), plus in-memory `data:`/`blob:` URLs and
 * `devtools:`. Remote content (http, https, ws, other files) is refused.
 */
export function isAllowedResource(url: string, origin: AppOrigin): boolean {
  const u = parse(url);
  if (!u) return false;
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:') return true;
  if (origin.kind === 'dev') {
    const dev = new URL(origin.origin);
    return (u.protocol === 'http:' || u.protocol === 'ws:') && u.host === dev.host;
  }
  const p = filePath(u);
  if (!p) return false;
  const rel = path.relative(origin.rootDir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The Content-Security-Policy header of every response the app's session loads: scripts and
 * styles only from the app itself, images from the app and in-memory blobs/data, no plugins, no
 * frames, no remote connections (the dev server's WebSocket is allowed under `electron-vite dev`).
 */
export function contentSecurityPolicy(origin: AppOrigin): string {
  const connect =
    origin.kind === 'dev' ? `'self' ${origin.origin.replace(/^http/, 'ws')}` : "'self'";
  // The dev server injects inline styles for hot reload; the built app needs none.
  const style = origin.kind === 'dev' ? "'self' 'unsafe-inline'" : "'self'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${style}`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
