/**
 * `bracketeer serve`: the contract over HTTP + WebSocket on the loopback interface only.
 *
 * - Every request needs the session token: API calls as `Authorization: Bearer <token>`; the
 *   WebSocket upgrade as `?token=`; the first page load as `?token=` (the page keeps the token in
 *   memory; the response also sets an HttpOnly, SameSite=Strict cookie so the page's own script
 *   and style files load without it in their URLs).
 * - POST /api/<method>: see api-route.ts. GET / and static files: the built renderer or a
 *   placeholder page. WebSocket /events: see event-socket.ts.
 * - Requests whose Host is not this server (DNS rebinding) are refused; every response carries a
 *   strict Content-Security-Policy.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../shared/api/index.js';
import type { Services } from '../main/services/index.js';
import { handleApiCall } from './api-route.js';
import { bearerToken, cookieName, cookieValue, createToken, tokenMatches } from './auth.js';
import { attachEventSocket } from './event-socket.js';
import { contentSecurityPolicy, securityHeaders, sendError, sendJson } from './http-util.js';
import { defaultRendererDir, serveStatic } from './static-files.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  readonly services: Services;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Loopback address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Session token (default: a fresh random one). */
  readonly token?: string;
  /** Built renderer folder; null serves the placeholder page (default: out/renderer if built). */
  readonly rendererDir?: string | null;
  /** Where unexpected errors are logged (default: stderr). */
  readonly log?: (line: string) => void;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. "http://127.0.0.1:41234". */
  readonly url: string;
  /** The URL to open in a browser: base URL with `?token=`. */
  readonly pageUrl: string;
  readonly port: number;
  readonly host: string;
  readonly token: string;
  /** Stops listening and closes every connection and event socket (not the services). */
  close(): Promise<void>;
}

/** True for a loopback address: 127.0.0.0/8, ::1 or "localhost". */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Starts the server.
 * @throws Error for a non-loopback host or when the port cannot be bound
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new ApiError(
      'invalid',
      `host ${host} is not a loopback address; bracketeer serve listens on 127.0.0.1/::1 only (use an SSH tunnel for remote use)`,
    );
  }
  const token = options.token ?? createToken();
  const log =
    options.log ?? ((line: string) => process.stderr.write(`bracketeer serve: ${line}\n`));
  const rendererDir =
    options.rendererDir === undefined ? defaultRendererDir() : options.rendererDir;
  const server = createServer();
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  const hosts = new Set([urlHost, 'localhost', '127.0.0.1', '[::1]'].map((h) => `${h}:${port}`));
  const headers = securityHeaders(contentSecurityPolicy(url));
  const cookie = cookieName(port);

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (!hosts.has(req.headers.host ?? '')) {
      sendError(
        res,
        new ApiError('forbidden', `unexpected Host header "${req.headers.host ?? ''}"`),
      );
      return;
    }
    const u = new URL(req.url ?? '/', url);
    if (u.pathname.startsWith('/api/')) {
      if (!tokenMatches(token, bearerToken(req))) {
        sendError(
          res,
          new ApiError('unauthorized', 'missing or wrong token (Authorization: Bearer …)'),
        );
        return;
      }
      await handleApiCall(req, res, u.pathname.slice('/api/'.length), options.services, log);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(
        res,
        405,
        new ApiError('invalid', `${req.method ?? ''} is not allowed here`).toBody(),
      );
      return;
    }
    const queryToken = u.searchParams.get('token');
    const given = queryToken ?? bearerToken(req) ?? cookieValue(req, cookie);
    if (!tokenMatches(token, given)) {
      sendError(
        res,
        new ApiError(
          'unauthorized',
          'open the URL that bracketeer serve printed (it carries the token)',
        ),
      );
      return;
    }
    if (queryToken !== null) {
      res.setHeader('set-cookie', `${cookie}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    const found = await serveStatic(res, rendererDir, u.pathname, {}, req.method === 'HEAD');
    if (!found) sendError(res, new ApiError('not-found', `no such file: ${u.pathname}`));
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    onRequest(req, res).catch((err: unknown) => {
      log(`${req.url ?? ''}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      sendError(res, new ApiError('internal', 'internal error'));
    });
  });
  const closeSockets = attachEventSocket(server, { token, events: options.services.events, hosts });

  let closing: Promise<void> | null = null;
  return {
    url,
    pageUrl: `${url}/?token=${token}`,
    port,
    host,
    token,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closeSockets();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
