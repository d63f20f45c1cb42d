/**
 * Picks the API implementation at start-up: Electron's preload exposes `window.bracketeer`;
 * in a plain browser the page talks to `bracketeer serve` over HTTP + WebSocket with the token
 * from the `?token=` query, which is then removed from the address bar (and from history).
 */
import type { BracketeerApi } from '../../../shared/api/api.js';
import { createHttpApi } from '../../../shared/api/http-client.js';

declare global {
  interface Window {
    /** Set by Electron's preload (contextBridge); absent in a browser. */
    bracketeer?: BracketeerApi;
  }
}

/** Where the API came from, for the status line. */
export type ApiSource = 'electron' | 'http';

/** The chosen API, or the reason there is none. */
export type ApiChoice =
  | { readonly ok: true; readonly api: BracketeerApi; readonly source: ApiSource }
  | { readonly ok: false; readonly message: string };

/**
 * Returns the preload API when present, else an HTTP client for this page's origin using the
 * `token` query parameter (removed from the URL with history.replaceState).
 */
export function pickApi(win: Window = window): ApiChoice {
  const bridge = win.bracketeer;
  if (bridge && typeof bridge.invoke === 'function' && typeof bridge.on === 'function') {
    return { ok: true, api: bridge, source: 'electron' };
  }
  const url = new URL(win.location.href);
  const token = url.searchParams.get('token');
  if (!token) {
    return {
      ok: false,
      message: 'No access token: open the exact URL that `bracketeer serve` printed (…/?token=…).',
    };
  }
  url.searchParams.delete('token');
  win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
  return { ok: true, api: createHttpApi({ token }), source: 'http' };
}

/** One line for an error of any kind (ApiError messages already name the field and file). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
