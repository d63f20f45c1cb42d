/**
 * The renderer's {@link BracketeerApi} over a message transport (Electron-free, unit-tested):
 * invoke replies are unpacked (image frames decoded to typed-array views, errors rebuilt as
 * ApiError), events are checked against the contract and fanned out to subscribers.
 */
import type { BracketeerApi, Unsubscribe } from '../shared/api/api.js';
import {
  isEventName,
  type EventMap,
  type EventName,
  type InvokeMethod,
  type InvokeRequest,
  type InvokeResponse,
} from '../shared/api/contract.js';
import { ApiError, apiErrorFromBody } from '../shared/api/errors.js';
import { decodeImageFrame } from '../shared/api/image-wire.js';
import type { IpcReply } from '../main/ipc/channels.js';

/** What the bridge needs from IPC. */
export interface BridgeTransport {
  /** Sends one invoke to main and resolves to its reply. */
  invoke(method: string, request: unknown): Promise<IpcReply>;
  /** Registers the one listener for every event message main sends. */
  listen(listener: (message: unknown) => void): void;
}

type Listener = (payload: unknown) => void;

/** Builds the API object the preload exposes as `window.bracketeer` (frozen, two functions). */
export function createBridgeApi(transport: BridgeTransport): BracketeerApi {
  const listeners = new Map<EventName, Set<Listener>>();

  transport.listen((message) => {
    const m = message as { event?: unknown; payload?: unknown } | null;
    if (!m || typeof m.event !== 'string' || !isEventName(m.event)) return;
    for (const fn of [...(listeners.get(m.event) ?? [])]) {
      try {
        fn(m.payload);
      } catch (err) {
        // One listener's failure must not starve the others; report it like an uncaught error.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  });

  async function invoke<M extends InvokeMethod>(
    method: M,
    request: InvokeRequest<M>,
  ): Promise<InvokeResponse<M>> {
    const reply = await transport.invoke(method, request);
    if (!reply.ok) throw apiErrorFromBody({ error: reply.error }, 500);
    if (reply.wire === 'image') return decodeImageFrame(reply.frame) as InvokeResponse<M>;
    return reply.value as InvokeResponse<M>;
  }

  function on<E extends EventName>(
    event: E,
    listener: (payload: EventMap[E]) => void,
  ): Unsubscribe {
    if (typeof event !== 'string' || !isEventName(event)) {
      throw new ApiError('invalid', `unknown event "${String(event)}"`);
    }
    if (typeof listener !== 'function') {
      throw new ApiError('invalid', `on("${event}"): the listener must be a function`);
    }
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const fn = listener as Listener;
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) listeners.delete(event);
    };
  }

  return Object.freeze({ invoke, on });
}
