import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, settingsFile, SettingsStore } from '../../../src/main/app/settings.js';

let dir = '';
let warnings: string[] = [];
const warn = (line: string): void => {
  warnings.push(line);
};

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-settings-'));
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings store', () => {
  it('starts from defaults without a file and writes valid JSON atomically', async () => {
    const file = settingsFile(path.join(dir, 'userData'));
    const store = await SettingsStore.open(file, warn);
    expect(store.get()).toEqual({ version: 1, recentFiles: [] });
    await store.update((s) => ({ ...s, recentFiles: ['/a.jpg'], lastOpenFolder: '/photos' }));
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      recentFiles: ['/a.jpg'],
      lastOpenFolder: '/photos',
    });
    // No temporary file left behind.
    expect(await readdir(path.dirname(file))).toEqual(['settings.json']);
    const again = await SettingsStore.open(file, warn);
    expect(again.get().recentFiles).toEqual(['/a.jpg']);
    expect(warnings).toEqual([]);
  });

  it('serialises concurrent updates: the last one wins on disk', async () => {
    const file = settingsFile(dir);
    const store = await SettingsStore.open(file, warn);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((s) => ({ ...s, lastOpenFolder: `/folder/${i}` })),
      ),
    );
    expect(JSON.parse(await readFile(file, 'utf8')).lastOpenFolder).toBe('/folder/19');
  });

  it('sets a corrupt file aside as .bad, warns naming it, and uses defaults', async () => {
    const file = settingsFile(dir);
    await writeFile(file, '{"recentFiles": [');
    const store = await SettingsStore.open(file, warn);
    expect(store.get()).toEqual(defaultSettings());
    expect(existsSync(file)).toBe(false);
    expect(await readFile(`${file}.bad`, 'utf8')).toBe('{"recentFiles": [');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toContain(`${file}.bad`);
    expect(warnings[0]).toMatch(/not JSON/);
  });

  it('treats a schema violation like corruption, naming the field', async () => {
    const file = settingsFile(dir);
    await writeFile(file, JSON.stringify({ version: 1, window: { width: 'wide', height: 600 } }));
    const store = await SettingsStore.open(file, warn);
    expect(store.get()).toEqual(defaultSettings());
    expect(existsSync(`${file}.bad`)).toBe(true);
    expect(warnings[0]).toMatch(/window\.width/);
  });

  it('rejects an invalid update and keeps the settings as they were', async () => {
    const file = settingsFile(dir);
    const store = await SettingsStore.open(file, warn);
    await expect(
      store.update((s) => ({ ...s, window: { width: 10, height: 10, maximized: false } })),
    ).rejects.toThrow();
    expect(store.get().window).toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });
});
