/** Presets in a Storage: save, replace, delete, and bad stored data ignored with a warning. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PRESETS_KEY,
  deletePreset,
  loadPresets,
  savePreset,
  validatePreset,
  type PresetStorage,
} from '../../../src/renderer/src/lib/presets.js';

/** A minimal Storage over a Map (what localStorage offers). */
class MemoryStorage implements PresetStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const look = { op: 'drago03', params: { bias: 0.7 }, adjust: { exposure: 1 } };

afterEach(() => vi.restoreAllMocks());

describe('presets', () => {
  it('saves, replaces by name, and deletes', () => {
    const s = new MemoryStorage();
    expect(loadPresets(s)).toEqual([]);
    savePreset(s, { name: 'Bright', ...look });
    savePreset(s, { name: 'Flat', op: 'clip', params: {}, adjust: {} });
    const list = savePreset(s, { name: 'Bright', ...look, adjust: { exposure: 2 } });
    expect(list.map((p) => p.name)).toEqual(['Bright', 'Flat']);
    expect(list[0].adjust).toEqual({ exposure: 2 });
    expect(JSON.parse(s.getItem(PRESETS_KEY) ?? '[]')).toHaveLength(2);
    expect(deletePreset(s, 'Bright').map((p) => p.name)).toEqual(['Flat']);
    expect(loadPresets(s).map((p) => p.name)).toEqual(['Flat']);
  });

  it('rejects an empty name when saving', () => {
    expect(() => savePreset(new MemoryStorage(), { name: '  ', ...look })).toThrow(/name/);
  });

  it('ignores bad stored data with a console warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const s = new MemoryStorage();
    s.setItem(PRESETS_KEY, '{not json');
    expect(loadPresets(s)).toEqual([]);
    s.setItem(PRESETS_KEY, '{"a":1}');
    expect(loadPresets(s)).toEqual([]);
    s.setItem(
      PRESETS_KEY,
      JSON.stringify([
        { name: 'ok', ...look },
        { name: 'bad op', op: 'Drago!', params: {}, adjust: {} },
        { name: 'bad value', op: 'clip', params: { exposure: 'x' }, adjust: {} },
        { name: 'ok', ...look },
        42,
      ]),
    );
    expect(loadPresets(s).map((p) => p.name)).toEqual(['ok']);
    expect(warn).toHaveBeenCalledTimes(6);
  });

  it('validates one entry', () => {
    expect(validatePreset({ name: 'x', op: 'clip', params: {}, adjust: {} })).toEqual({
      name: 'x',
      op: 'clip',
      params: {},
      adjust: {},
    });
    expect(typeof validatePreset({ name: 'x', op: 'clip', params: [], adjust: {} })).toBe('string');
    expect(typeof validatePreset({ name: 'x', op: 'clip', params: { a: NaN }, adjust: {} })).toBe(
      'string',
    );
  });
});
