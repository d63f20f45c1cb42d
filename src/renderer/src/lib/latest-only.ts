/**
 * Coalesces requests: at most one call in flight; while one runs, newer requests replace each
 * other and only the latest is sent when it returns. Used for previews while a slider is dragged.
 */

/** Outcome handlers of {@link LatestOnly}. */
export interface LatestOnlyHandlers<Req, Res> {
  /** The one call (e.g. an API invoke). */
  readonly run: (request: Req) => Promise<Res>;
  /** A result arrived (for the request it answers). */
  readonly onResult: (result: Res, request: Req) => void;
  /** A call failed. */
  readonly onError: (error: unknown, request: Req) => void;
  /** Busy state changed (true while a call is in flight). */
  readonly onBusy?: (busy: boolean) => void;
}

/** A single-flight, latest-wins request queue. */
export class LatestOnly<Req, Res> {
  private pending: Req | null = null;
  private inFlight = false;

  constructor(private readonly handlers: LatestOnlyHandlers<Req, Res>) {}

  /** Asks for `request`; replaces any request still waiting. */
  request(request: Req): void {
    this.pending = request;
    if (!this.inFlight) void this.pump();
  }

  /** Drops a waiting request (a call in flight still reports). */
  clear(): void {
    this.pending = null;
  }

  private async pump(): Promise<void> {
    this.inFlight = true;
    this.handlers.onBusy?.(true);
    while (this.pending !== null) {
      const req = this.pending;
      this.pending = null;
      try {
        const res = await this.handlers.run(req);
        this.handlers.onResult(res, req);
      } catch (err) {
        this.handlers.onError(err, req);
      }
    }
    this.inFlight = false;
    this.handlers.onBusy?.(false);
  }
}
