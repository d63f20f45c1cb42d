import { describe, expect, it } from 'vitest';
import {
  applyTheme,
  loadTheme,
  nextTheme,
  parseTheme,
  THEME_KEY,
} from '../../../src/renderer/src/lib/theme.js';

function fakeRoot() {
  const attrs = new Map<string, string>();
  return {
    attrs,
    setAttribute: (n: string, v: string) => void attrs.set(n, v),
    removeAttribute: (n: string) => void attrs.delete(n),
  };
}

describe('theme', () => {
  it('parses only known choices', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('purple')).toBe('system');
    expect(parseTheme(null)).toBe('system');
  });
  it('cycles system → dark → light → system', () => {
    expect([nextTheme('system'), nextTheme('dark'), nextTheme('light')]).toEqual([
      'dark',
      'light',
      'system',
    ]);
  });
  it('applies data-theme, removes it for system, and stores the choice', () => {
    const root = fakeRoot();
    const store = new Map<string, string>();
    const storage = { setItem: (k: string, v: string) => void store.set(k, v) };
    applyTheme('light', root, storage);
    expect(root.attrs.get('data-theme')).toBe('light');
    expect(store.get(THEME_KEY)).toBe('light');
    applyTheme('system', root, storage);
    expect(root.attrs.has('data-theme')).toBe(false);
    expect(loadTheme({ getItem: (k) => store.get(k) ?? null })).toBe('system');
  });
  it('survives storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadTheme(throwing)).toBe('system');
    expect(() => applyTheme('dark', fakeRoot(), throwing)).not.toThrow();
  });
});
