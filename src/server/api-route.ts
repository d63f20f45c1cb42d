/**
 * POST /api/<method>: JSON request → JSON, or a binary image frame (see
 * src/shared/api/image-wire.ts) for image methods. The request is validated with the contract's
 * schema here, and again by the service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApiError,
  encodeImageHeader,
  IMAGE_FRAME_MIME,
  IMAGE_HEADER_BYTES,
  INVOKE_METHODS,
  invoke,
  isInvokeMethod,
  parseRequest,
  payloadBytes,
  type ImagePayload,
  type InvokeMethod,
} from '../shared/api/index.js';
import { toApiError, type InvokeHandler, type Services } from '../main/services/index.js';
import { readJsonBody, sendError, sendJson } from './http-util.js';

/** Largest accepted request body (requests carry paths and numbers, never pixels). */
const MAX_BODY_BYTES = 1024 * 1024;

function serverTiming(totalMs: number, result: unknown): string {
  const parts = [`handler;dur=${totalMs.toFixed(1)}`];
  const r = result as { timing?: Record<string, number>; cache?: string };
  for (const [k, v] of Object.entries(r.timing ?? {})) {
    if (/^[a-z]+$/i.test(k) && Number.isFinite(v)) parts.push(`${k};dur=${v.toFixed(1)}`);
  }
  if (r.cache === 'hit' || r.cache === 'miss') parts.push(`cache;desc=${r.cache}`);
  return parts.join(', ');
}

function sendImage(
  res: ServerResponse,
  payload: ImagePayload,
  headers: Record<string, string>,
): void {
  const header = encodeImageHeader(payload);
  const body = payloadBytes(payload);
  res.writeHead(200, {
    ...headers,
    'content-type': IMAGE_FRAME_MIME,
    'content-length': String(IMAGE_HEADER_BYTES + body.byteLength),
    'cache-control': 'no-store',
  });
  res.write(header);
  res.end(body);
}

/**
 * Serves one API call (the caller has checked the token).
 * @param name - the method name from the URL
 */
export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  services: Services,
  log: (line: string) => void,
): Promise<void> {
  const t0 = performance.now();
  try {
    if (!isInvokeMethod(name)) {
      throw new ApiError(
        'unknown-method',
        `unknown method "${name}"; known: ${INVOKE_METHODS.join(', ')}`,
      );
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      throw new ApiError('invalid', `${name}: use POST with a JSON body`);
    }
    const method: InvokeMethod = name;
    const request = parseRequest(method, await readJsonBody(req, MAX_BODY_BYTES));
    const handler = services.handlers[method] as InvokeHandler<InvokeMethod>;
    const result: unknown = await handler(request as never);
    const timing = { 'server-timing': serverTiming(performance.now() - t0, result) };
    if (invoke[method].wire === 'image') sendImage(res, result as ImagePayload, timing);
    else sendJson(res, 200, result, timing);
  } catch (err) {
    const apiErr = toApiError(err);
    if (apiErr.code === 'internal') {
      log(`${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    sendError(res, apiErr);
  }
}
