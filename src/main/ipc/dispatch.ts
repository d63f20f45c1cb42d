/**
 * One invoke from the renderer, end to end but without Electron: the method name is checked
 * against the contract, the request validated with the contract's schema, the service's handler
 * called, and the result packed as an {@link IpcReply} (images as one binary frame).
 */
import {
  ApiError,
  encodeImageFrame,
  INVOKE_METHODS,
  invoke,
  isInvokeMethod,
  parseRequest,
  type ImagePayload,
  type InvokeMethod,
} from '../../shared/api/index.js';
import { toApiError, type InvokeHandler, type InvokeHandlers } from '../services/index.js';
import type { IpcReply } from './channels.js';

/** Logs internal errors (stack included); the renderer gets one line. */
export type ErrorLog = (line: string) => void;

/**
 * Validates and serves one call; never throws.
 * @param method - what the renderer sent as the method name (anything)
 * @param request - what the renderer sent as the request (anything)
 */
export async function dispatchInvoke(
  handlers: InvokeHandlers,
  method: unknown,
  request: unknown,
  log: ErrorLog = () => undefined,
): Promise<IpcReply> {
  const name = typeof method === 'string' ? method.slice(0, 100) : String(typeof method);
  try {
    if (typeof method !== 'string' || !isInvokeMethod(method)) {
      throw new ApiError(
        'unknown-method',
        `unknown method "${name}"; known: ${INVOKE_METHODS.join(', ')}`,
      );
    }
    const m: InvokeMethod = method;
    const parsed = parseRequest(m, request);
    const handler = handlers[m] as InvokeHandler<InvokeMethod>;
    const result: unknown = await handler(parsed as never);
    if (invoke[m].wire === 'image') {
      return { ok: true, wire: 'image', frame: encodeImageFrame(result as ImagePayload) };
    }
    return { ok: true, wire: 'json', value: result };
  } catch (err) {
    const apiErr = toApiError(err);
    if (apiErr.code === 'internal') {
      log(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    return { ok: false, error: apiErr.toBody().error };
  }
}
