/** The `library.list` filter from the toolbar's state. */
import type { InvokeRequest } from '../../../shared/api/contract.js';
import type { LibraryCamera } from '../../../shared/api/types.js';

/** Stack filter of the toolbar: every tile, stacks only, single photos only. */
export type StackFilter = 'all' | 'stacks' | 'singles';

/** The filter object of a list request. */
export type ListFilter = NonNullable<InvokeRequest<'library.list'>['filter']>;

/** The select value of a camera: JSON of [make, model]. */
export function cameraKey(c: Pick<LibraryCamera, 'make' | 'model'>): string {
  return JSON.stringify([c.make, c.model]);
}

/**
 * Builds the request filter.
 * @param camera - a {@link cameraKey}, or '' for every camera
 */
export function listFilter(camera: string, stack: StackFilter, text: string): ListFilter {
  let c: { make: string | null; model: string | null } | undefined;
  if (camera) {
    const [make, model] = JSON.parse(camera) as [string | null, string | null];
    c = { make, model };
  }
  const t = text.trim();
  return {
    ...(c ? { camera: { make: c.make, model: c.model } } : {}),
    ...(stack !== 'all' ? { hasStack: stack === 'stacks' } : {}),
    ...(t ? { text: t } : {}),
  };
}
