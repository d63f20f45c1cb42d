/** The library page cache: on-demand pages, stale answers dropped, old pages kept on refresh. */
import { describe, expect, it } from 'vitest';
import { PageCache } from '../../../src/renderer/src/lib/library-pages.js';
import type { LibraryItem, LibraryPage } from '../../../src/shared/api/types.js';

function item(id: number): LibraryItem {
  return {
    id,
    name: `p${id}.jpg`,
    path: `/p/p${id}.jpg`,
    width: 4,
    height: 3,
    kind: 'ldr',
    captureTime: null,
    sortTimeMs: id,
    cameraMake: null,
    cameraModel: null,
    status: 'present',
    statusMessage: null,
    stackId: null,
    frameCount: 1,
    missingFrames: 0,
    hasThumbnail: true,
  };
}

/** A fetcher over `total` items whose ids are index + base; calls are recorded. */
function source(total: number, base = 0) {
  const calls: number[] = [];
  const pending: (() => void)[] = [];
  const fetch = (offset: number, limit: number): Promise<LibraryPage> => {
    calls.push(offset);
    return new Promise((resolve) => {
      pending.push(() => {
        const n = Math.max(0, Math.min(limit, total - offset));
        resolve({
          total,
          offset,
          items: Array.from({ length: n }, (_, k) => item(base + offset + k)),
        });
      });
    });
  };
  return {
    fetch,
    calls,
    flush: async () => {
      while (pending.length) pending.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('PageCache', () => {
  it('fetches a page once and serves its items', async () => {
    const s = source(250);
    let changes = 0;
    const c = new PageCache(
      s.fetch,
      () => changes++,
      () => undefined,
      100,
    );
    c.ensure(2);
    c.ensure(2);
    expect(s.calls).toEqual([200]);
    expect(c.item(210)).toBeUndefined();
    await s.flush();
    expect(c.item(210)?.id).toBe(210);
    expect(c.item(249)?.id).toBe(249);
    expect(c.total).toBe(250);
    expect(changes).toBe(1);
  });

  it('ignores an answer for an older query', async () => {
    const a = source(100, 0);
    const b = source(100, 1000);
    const c = new PageCache(
      a.fetch,
      () => undefined,
      () => undefined,
      50,
    );
    c.ensure(0);
    c.reset(b.fetch);
    c.ensure(0);
    await a.flush(); // late answer of the old query
    expect(c.item(0)).toBeUndefined();
    await b.flush();
    expect(c.item(0)?.id).toBe(1000);
  });

  it('keeps showing old pages after a refresh until the new ones arrive', async () => {
    const s = source(100);
    const c = new PageCache(
      s.fetch,
      () => undefined,
      () => undefined,
      50,
    );
    c.ensure(0);
    await s.flush();
    c.refresh();
    expect(c.item(3)?.id).toBe(3); // still shown
    c.ensure(0);
    expect(s.calls).toEqual([0, 0]); // reloaded
    await s.flush();
    expect(c.item(3)?.id).toBe(3);
  });

  it('drops the least recently used pages beyond its limit', async () => {
    const s = source(1000);
    const c = new PageCache(
      s.fetch,
      () => undefined,
      () => undefined,
      10,
      2,
    );
    for (const p of [0, 1, 2]) {
      c.ensure(p);
      await s.flush();
    }
    expect(c.item(5)).toBeUndefined();
    expect(c.item(15)?.id).toBe(15);
    expect(c.item(25)?.id).toBe(25);
  });
});
