/** The recent-files list (Electron-free): most recent first, no duplicates, bounded. */

/** Most entries kept (File ▸ Open Recent). */
export const MAX_RECENT = 10;

function same(a: string, b: string, caseInsensitive: boolean): boolean {
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Puts `file` at the front, dropping an earlier entry of the same path and anything past `max`.
 * @param caseInsensitive - compare paths ignoring case (Windows, default macOS volumes)
 * @returns a new list (the input is not changed)
 */
export function addRecent(
  list: readonly string[],
  file: string,
  max = MAX_RECENT,
  caseInsensitive = false,
): string[] {
  const rest = list.filter((f) => !same(f, file, caseInsensitive));
  return [file, ...rest].slice(0, Math.max(0, max));
}

/**
 * Drops entries for which `exists` is false (files moved or deleted since).
 * @returns a new list, order kept
 */
export function pruneRecent(list: readonly string[], exists: (file: string) => boolean): string[] {
  return list.filter((f) => exists(f));
}
