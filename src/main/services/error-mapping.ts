/** Maps anything a service throws to an {@link ApiError} (code + one line) for the transports. */
import {
  BracketeerError,
  CancelledError,
  ImageReadError,
  ImageWriteError,
  InvalidInputError,
} from '../../core/errors.js';
import { ApiError } from '../../shared/api/index.js';

function oneLine(s: string): string {
  const line = s.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}

/**
 * Classifies an error: ApiError as is; InvalidInputError → invalid (400); ImageReadError →
 * not-found for a missing file, else unreadable (422); ImageWriteError → forbidden (403);
 * CancelledError → cancelled (409); any other error → internal (500), message kept.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof InvalidInputError) return new ApiError('invalid', oneLine(err.message));
  if (err instanceof ImageReadError) {
    const code = /file not found/.test(err.reason) ? 'not-found' : 'unreadable';
    return new ApiError(code, oneLine(err.message));
  }
  if (err instanceof ImageWriteError) return new ApiError('forbidden', oneLine(err.message));
  if (err instanceof CancelledError) return new ApiError('cancelled', oneLine(err.message));
  if (err instanceof BracketeerError) return new ApiError('invalid', oneLine(err.message));
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('internal', oneLine(message) || 'internal error');
}
