/**
 * The browser implementation of {@link BracketeerApi} against `bracketeer serve`: POST
 * /api/<method> with the bearer token, and one WebSocket on /events for every subscription.
 * Uses only web platform APIs (fetch, WebSocket, TextDecoder); Node 20 callers pass a WebSocket
 * implementation (the `ws` package).
 */
import type { BracketeerApi, Unsubscribe } from './api.js';
import {
  invoke as contract,
  isEventName,
  type EventMap,
  type EventName,
  type InvokeMethod,
  type InvokeRequest,
  type InvokeResponse,
} from './contract.js';
import { ApiError, apiErrorFromBody } from './errors.js';
import { decodeImageFrame } from './image-wire.js';

/** The part of the WebSocket API the client uses (browser WebSocket and `ws` both fit). */
export interface EventSocket {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

/** Options of {@link createHttpApi}. */
export interface HttpApiOptions {
  /** Server origin, e.g. "http://127.0.0.1:5173" (default: the page's own origin). */
  readonly baseUrl?: string;
  /** The token printed by `bracketeer serve`. */
  readonly token: string;
  /** WebSocket constructor (default: the global one). */
  readonly WebSocket?: new (url: string) => EventSocket;
  /** Delay before reconnecting a dropped event socket, ms (default 1000). */
  readonly reconnectMs?: number;
}

/** The HTTP API plus its connection controls. */
export interface HttpApi extends BracketeerApi {
  /** Opens the event socket now; resolves once it is open. */
  connect(): Promise<void>;
  /** Closes the event socket and drops every listener. */
  close(): void;
}

type Listener = (payload: unknown) => void;

function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    return new TextDecoder().decode(data as ArrayBuffer | Uint8Array);
  }
  return String(data);
}

/**
 * Creates the client.
 * @throws ApiError from `invoke` for error responses (network errors reject as they are)
 */
export function createHttpApi(options: HttpApiOptions): HttpApi {
  const base = (
    options.baseUrl ??
    (globalThis as { location?: { origin?: string } }).location?.origin ??
    ''
  ).replace(/\/$/, '');
  const SocketImpl =
    options.WebSocket ?? (globalThis.WebSocket as unknown as HttpApiOptions['WebSocket']);
  const listeners = new Map<EventName, Set<Listener>>();
  let socket: EventSocket | null = null;
  let opened: Promise<void> | null = null;
  let closed = false;

  function dispatch(raw: unknown): void {
    let msg: { event?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(textOf(raw)) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.event !== 'string' || !isEventName(msg.event)) return;
    for (const fn of listeners.get(msg.event) ?? []) fn(msg.payload);
  }

  function connect(): Promise<void> {
    if (opened) return opened;
    if (!SocketImpl) return Promise.reject(new Error('no WebSocket implementation available'));
    const url = `${base.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(options.token)}`;
    opened = new Promise<void>((resolve, reject) => {
      const ws = new SocketImpl(url);
      socket = ws;
      ws.onopen = () => resolve();
      ws.onmessage = (ev) => dispatch(ev.data);
      ws.onerror = () => reject(new Error(`event socket ${base}/events failed`));
      ws.onclose = () => {
        socket = null;
        opened = null;
        reject(new Error('event socket closed'));
        if (!closed && listeners.size > 0) {
          setTimeout(() => {
            if (!closed && !socket) connect().catch(() => undefined);
          }, options.reconnectMs ?? 1000);
        }
      };
    });
    return opened;
  }

  async function invoke<M extends InvokeMethod>(
    method: M,
    request: InvokeRequest<M>,
  ): Promise<InvokeResponse<M>> {
    const res = await fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request),
    });
    if (!res.ok) {
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        // not JSON: fall back to the status
      }
      throw apiErrorFromBody(body, res.status);
    }
    if (contract[method].wire === 'image') {
      return decodeImageFrame(await res.arrayBuffer()) as InvokeResponse<M>;
    }
    return (await res.json()) as InvokeResponse<M>;
  }

  function on<E extends EventName>(
    event: E,
    listener: (payload: EventMap[E]) => void,
  ): Unsubscribe {
    if (!isEventName(event)) throw new ApiError('invalid', `unknown event "${String(event)}"`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const fn = listener as Listener;
    set.add(fn);
    connect().catch(() => undefined);
    return () => {
      set.delete(fn);
      if (set.size === 0) listeners.delete(event);
    };
  }

  function close(): void {
    closed = true;
    listeners.clear();
    socket?.close();
    socket = null;
  }

  return { invoke, on, connect, close };
}
