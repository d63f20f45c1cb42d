/**
 * The app's colour theme: follow the system, or force light or dark. The choice is kept in
 * localStorage and applied as `data-theme` on the document element (app.css holds the colours).
 */

/** A theme choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** localStorage key of the choice. */
export const THEME_KEY = 'bracketeer.theme';

const ORDER: readonly ThemeChoice[] = ['system', 'dark', 'light'];

/** Reads a stored choice; anything unknown (or no storage) is 'system'. */
export function parseTheme(raw: string | null | undefined): ThemeChoice {
  return raw === 'light' || raw === 'dark' ? raw : 'system';
}

/** The next choice in the cycle system → dark → light → system. */
export function nextTheme(t: ThemeChoice): ThemeChoice {
  return ORDER[(ORDER.indexOf(t) + 1) % ORDER.length];
}

/** Label of a choice for the header button. */
export function themeLabel(t: ThemeChoice): string {
  return t === 'system' ? 'Theme: system' : t === 'dark' ? 'Theme: dark' : 'Theme: light';
}

/** The stored choice (localStorage may be unavailable: then 'system'). */
export function loadTheme(storage: Pick<Storage, 'getItem'> | null): ThemeChoice {
  try {
    return parseTheme(storage?.getItem(THEME_KEY));
  } catch {
    return 'system';
  }
}

/** Stores and applies a choice: `data-theme` on `root`, removed for 'system'. */
export function applyTheme(
  t: ThemeChoice,
  root: { setAttribute(n: string, v: string): void; removeAttribute(n: string): void },
  storage: Pick<Storage, 'setItem'> | null,
): void {
  if (t === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', t);
  try {
    storage?.setItem(THEME_KEY, t);
  } catch {
    // private mode or full storage: the choice lasts for this session only
  }
}
