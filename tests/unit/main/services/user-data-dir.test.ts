/** The per-user data folder on each platform. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userDataDir } from '../../../../src/main/services/user-data-dir.js';

describe('userDataDir', () => {
  it('follows XDG on Linux, else ~/.local/share', () => {
    expect(userDataDir('linux', { XDG_DATA_HOME: '/data/x' }, '/home/u')).toBe(
      '/data/x/bracketeer',
    );
    expect(userDataDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/bracketeer');
    // a relative XDG_DATA_HOME is invalid by the spec and ignored
    expect(userDataDir('linux', { XDG_DATA_HOME: 'rel' }, '/home/u')).toBe(
      '/home/u/.local/share/bracketeer',
    );
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(userDataDir('darwin', {}, '/Users/u')).toBe(
      path.join('/Users/u', 'Library', 'Application Support', 'Bracketeer'),
    );
    expect(
      userDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u'),
    ).toBe('C:\\Users\\u\\AppData\\Roaming\\Bracketeer');
    expect(userDataDir('win32', {}, 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Bracketeer',
    );
  });
});
