/**
 * How services plug into the transports: each area (app, ops, previews, bracket, jobs, and later
 * the library catalog) supplies handlers for some contract methods; `createServices` merges them.
 */
import type { InvokeMethod, InvokeRequest, InvokeResponse } from '../../shared/api/index.js';

/** Serves one method: validates its request (again) and resolves to the response. */
export type InvokeHandler<M extends InvokeMethod> = (
  request: InvokeRequest<M>,
) => Promise<InvokeResponse<M>>;

/** A handler for every method of the contract. */
export type InvokeHandlers = { readonly [M in InvokeMethod]: InvokeHandler<M> };

/** One area of the backend. */
export interface ServiceArea {
  /** Short name for error messages, e.g. "previews". */
  readonly name: string;
  /** The methods this area serves. */
  readonly handlers: Partial<InvokeHandlers>;
  /** Releases the area's resources (workers, caches, database handles). */
  close?(): Promise<void>;
}
