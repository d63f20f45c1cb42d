import { describe, expect, it } from 'vitest';
import { addRecent, MAX_RECENT, pruneRecent } from '../../../src/main/app/recent-files.js';

describe('recent files', () => {
  it('puts the newest first, without duplicates, bounded', () => {
    let list: string[] = [];
    for (let i = 0; i < 15; i++) list = addRecent(list, `/p/${i}.jpg`);
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toBe('/p/14.jpg');
    expect(list[MAX_RECENT - 1]).toBe('/p/5.jpg');
    list = addRecent(list, '/p/10.jpg');
    expect(list.slice(0, 3)).toEqual(['/p/10.jpg', '/p/14.jpg', '/p/13.jpg']);
    expect(new Set(list).size).toBe(list.length);
  });

  it('compares case-insensitively when asked (Windows, macOS)', () => {
    expect(addRecent(['C:\\A.jpg', 'C:\\b.jpg'], 'c:\\a.JPG', 10, true)).toEqual([
      'c:\\a.JPG',
      'C:\\b.jpg',
    ]);
    expect(addRecent(['/A.jpg'], '/a.jpg')).toEqual(['/a.jpg', '/A.jpg']);
  });

  it('drops entries that no longer exist, keeping the order', () => {
    expect(pruneRecent(['/a', '/b', '/c'], (f) => f !== '/b')).toEqual(['/a', '/c']);
  });
});
