/** The one interface the renderer talks to (IPC in Electron, HTTP + WebSocket in a browser). */
import type {
  EventMap,
  EventName,
  InvokeMethod,
  InvokeRequest,
  InvokeResponse,
} from './contract.js';

/** Unsubscribes a listener. */
export type Unsubscribe = () => void;

/** The API: typed invoke calls and typed event subscriptions. */
export interface BracketeerApi {
  /**
   * Calls a method. Rejects with an ApiError (code, one-line message naming the field).
   * Image methods resolve to an ImagePayload whose samples are a typed array.
   */
  invoke<M extends InvokeMethod>(method: M, request: InvokeRequest<M>): Promise<InvokeResponse<M>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): Unsubscribe;
}
