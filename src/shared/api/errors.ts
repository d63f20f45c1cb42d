/** Errors as every transport carries them: a code, one line naming the field, an HTTP status. */

/** What went wrong, independent of the transport. */
export type ApiErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'unknown-method'
  | 'unreadable'
  | 'too-large'
  | 'cancelled'
  | 'internal';

/** HTTP status of each code. */
export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'unknown-method': 404,
  unreadable: 422,
  'too-large': 413,
  cancelled: 409,
  internal: 500,
};

/** JSON body of an error response. */
export interface ApiErrorBody {
  readonly error: {
    readonly code: ApiErrorCode;
    /** One line, naming the field (and the file) at fault. */
    readonly message: string;
    /** Dotted path of the offending request field, when there is one (e.g. "evs.2"). */
    readonly field?: string;
  };
}

/** An error a method reports to its caller. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** HTTP status for this error. */
  get status(): number {
    return HTTP_STATUS[this.code];
  }

  /** The JSON body. */
  toBody(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field !== undefined ? { field: this.field } : {}),
      },
    };
  }
}

/** Rebuilds an {@link ApiError} from a parsed body (or a fallback for anything else). */
export function apiErrorFromBody(body: unknown, status: number): ApiError {
  const e = (body as Partial<ApiErrorBody> | null)?.error;
  if (e && typeof e.message === 'string' && typeof e.code === 'string' && e.code in HTTP_STATUS) {
    return new ApiError(e.code, e.message, typeof e.field === 'string' ? e.field : undefined);
  }
  return new ApiError(status === 401 ? 'unauthorized' : 'internal', `HTTP ${status}`);
}
