/** Window arithmetic of the virtual library grid, against hand-computed layouts. */
import { describe, expect, it } from 'vitest';
import {
  gridLayout,
  moveIndex,
  pagesFor,
  scrollToReveal,
  tilePosition,
  visibleRange,
} from '../../../src/renderer/src/lib/virtual-grid.js';

describe('gridLayout', () => {
  it('fits as many min-width tiles as the width allows and stretches them', () => {
    // inner = 1000 − 8 = 992; columns = ⌊992 / 176⌋ = 5; width = ⌊992/5⌋ − 8 = 190
    const l = gridLayout(1000, 5000, { minTileWidth: 168, gap: 8, captionHeight: 30 });
    expect(l.columns).toBe(5);
    expect(l.tileWidth).toBe(190);
    expect(l.tileHeight).toBe(Math.round(190 * 0.75) + 30); // 143 + 30
    expect(l.rows).toBe(1000);
    expect(l.contentHeight).toBe(8 + 1000 * (173 + 8));
  });

  it('has one column in a narrow viewport and no rows when empty', () => {
    expect(gridLayout(100, 3).columns).toBe(1);
    const empty = gridLayout(800, 0);
    expect([empty.rows, empty.contentHeight]).toEqual([0, 0]);
    expect(visibleRange(empty, 0, 600)).toMatchObject({ firstRow: 0, endRow: 0, start: 0, end: 0 });
  });
});

describe('visibleRange', () => {
  const l = gridLayout(1000, 5000, { minTileWidth: 168, gap: 8, captionHeight: 30 }); // pitch 181

  it('covers the rows in view plus overscan, always the same number of rows', () => {
    // scrollTop 1818: top = 1810 → row 10 (bottom 2410 → row 13);
    // window = ⌈600 / 181⌉ + 1 + 2·2 = 9 rows from row 8
    const r = visibleRange(l, 1818, 600, 2);
    expect(r).toEqual({ firstRow: 8, endRow: 17, start: 40, end: 85, slots: 45 });
    for (const top of [0, 90, 181, 1000, 54_321, l.contentHeight - 600]) {
      const w = visibleRange(l, top, 600, 2);
      expect(w.endRow - w.firstRow).toBe(9);
      // every row intersecting the viewport is inside the window
      const firstSeen = Math.floor(Math.max(0, top - 8) / 181);
      const lastSeen = Math.min(999, Math.floor((Math.max(0, top - 8) + 600) / 181));
      expect(w.firstRow).toBeLessThanOrEqual(firstSeen);
      expect(w.endRow).toBeGreaterThan(lastSeen);
    }
  });

  it('stops at the first and last rows', () => {
    expect(visibleRange(l, 0, 600, 2).firstRow).toBe(0);
    const bottom = visibleRange(l, l.contentHeight - 600, 600, 2);
    expect(bottom).toMatchObject({ firstRow: 991, endRow: 1000, end: 5000 });
  });

  it('gives window indices distinct slots, and a scrolled-in row the slots of the row that left', () => {
    const a = visibleRange(l, 1818, 600, 2);
    const b = visibleRange(l, 1818 + 181, 600, 2); // one row further
    const slotsOf = (r: typeof a) =>
      new Set(Array.from({ length: r.end - r.start }, (_, k) => (r.start + k) % r.slots));
    expect(slotsOf(a).size).toBe(45);
    expect(slotsOf(b)).toEqual(slotsOf(a));
  });

  it('clips the last, partial row to the item count', () => {
    const partial = gridLayout(1000, 12, { minTileWidth: 168, gap: 8 }); // 5 + 5 + 2
    expect(visibleRange(partial, 0, 5000, 0).end).toBe(12);
  });
});

describe('positions, reveal and keys', () => {
  const l = gridLayout(1000, 23, { minTileWidth: 168, gap: 8, captionHeight: 30 }); // 5 columns

  it('places tile 7 in row 1, column 2', () => {
    expect(tilePosition(l, 7)).toEqual({ top: 8 + 181, left: 8 + 2 * 198 });
  });

  it('scrolls just enough to reveal a tile, or not at all', () => {
    expect(scrollToReveal(l, 0, 0, 400)).toBe(0);
    // row 4: top 8 + 4·181 = 732, bottom 732 + 181 = 913 → scrollTop 913 − 400 = 513
    expect(scrollToReveal(l, 20, 0, 400)).toBe(513);
    expect(scrollToReveal(l, 0, 513, 400)).toBe(0);
  });

  it('moves the selection with arrows, Home/End and pages, clamped', () => {
    expect(moveIndex(-1, 'ArrowDown', 5, 23)).toBe(0);
    expect(moveIndex(7, 'ArrowRight', 5, 23)).toBe(8);
    expect(moveIndex(7, 'ArrowDown', 5, 23)).toBe(12);
    expect(moveIndex(19, 'ArrowDown', 5, 23)).toBe(19); // no tile below
    expect(moveIndex(2, 'ArrowUp', 5, 23)).toBe(2);
    expect(moveIndex(0, 'ArrowLeft', 5, 23)).toBe(0);
    expect(moveIndex(3, 'End', 5, 23)).toBe(22);
    expect(moveIndex(3, 'PageDown', 5, 23, 3)).toBe(18);
    expect(moveIndex(18, 'PageDown', 5, 23, 3)).toBe(22);
    expect(moveIndex(0, 'Home', 5, 0)).toBe(-1);
  });

  it('lists the pages covering an item range', () => {
    expect(pagesFor(0, 0, 200)).toEqual([]);
    expect(pagesFor(190, 410, 200)).toEqual([0, 1, 2]);
    expect(pagesFor(200, 400, 200)).toEqual([1]);
  });
});
