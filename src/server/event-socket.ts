/**
 * WebSocket /events: pushes the contract's events as JSON text messages `{event, payload}` to
 * every connected client. The upgrade needs the token (`?token=` or a bearer header), an allowed
 * Host, and, when the browser sends one, this server's Origin.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { EventBus } from '../main/services/index.js';
import { bearerToken, tokenMatches } from './auth.js';

/** A client that lets this much data pile up unsent is dropped. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Options of {@link attachEventSocket}. */
export interface EventSocketOptions {
  readonly token: string;
  readonly events: EventBus;
  /** Accepted Host header values ("127.0.0.1:5173", …). */
  readonly hosts: ReadonlySet<string>;
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
  );
}

/** Handles upgrades on `server`; returns a function that closes every socket. */
export function attachEventSocket(server: Server, options: EventSocketOptions): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const host = req.headers.host ?? '';
    if (url.pathname !== '/events') return reject(socket, 404, 'Not Found');
    if (!options.hosts.has(host)) return reject(socket, 403, 'Forbidden');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      return reject(socket, 403, 'Forbidden');
    }
    const token = url.searchParams.get('token') ?? bearerToken(req);
    if (!tokenMatches(options.token, token)) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', () => undefined); // clients have nothing to say yet
      ws.on('error', () => ws.terminate());
    });
  };
  server.on('upgrade', onUpgrade);
  const unsubscribe = options.events.subscribe((message) => {
    const text = JSON.stringify(message);
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
      else ws.send(text);
    }
  });
  return () => {
    unsubscribe();
    server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    wss.close();
  };
}
