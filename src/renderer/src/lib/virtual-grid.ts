/**
 * Window arithmetic of the virtual library grid (pure, no DOM): how many columns fit, which rows
 * are visible at a scroll position (plus overscan), where a tile sits, how to scroll a tile into
 * view, and keyboard moves. All lengths are CSS pixels.
 */

/** Layout of the grid for one viewport width and item count. */
export interface GridLayout {
  readonly columns: number;
  /** Width of one tile (excluding the gap). */
  readonly tileWidth: number;
  /** Height of one tile (image plus caption). */
  readonly tileHeight: number;
  readonly gap: number;
  readonly rows: number;
  /** Height of the whole scrolled content, gaps and padding included. */
  readonly contentHeight: number;
  readonly count: number;
}

/** Options of {@link gridLayout}. */
export interface GridOptions {
  /** Smallest tile width; tiles grow to fill the row (default 168). */
  readonly minTileWidth?: number;
  /** Space between tiles and around the grid (default 8). */
  readonly gap?: number;
  /** Height of the caption under the image (default 36). */
  readonly captionHeight?: number;
  /** Image box height over width (default 0.75). */
  readonly aspect?: number;
}

/**
 * Lays `count` tiles out in a viewport `width` wide.
 * @param width - inner width of the scrolling viewport, ≥ 0
 * @param count - number of tiles, ≥ 0
 */
export function gridLayout(width: number, count: number, options: GridOptions = {}): GridLayout {
  const gap = options.gap ?? 8;
  const minTile = options.minTileWidth ?? 168;
  const caption = options.captionHeight ?? 36;
  const aspect = options.aspect ?? 0.75;
  const inner = Math.max(0, width - gap);
  const columns = Math.max(1, Math.floor(inner / (minTile + gap)));
  const tileWidth = Math.max(1, Math.floor(inner / columns) - gap);
  const tileHeight = Math.round(tileWidth * aspect) + caption;
  const rows = Math.ceil(Math.max(0, count) / columns);
  const contentHeight = rows === 0 ? 0 : gap + rows * (tileHeight + gap);
  return { columns, tileWidth, tileHeight, gap, rows, contentHeight, count: Math.max(0, count) };
}

/** Rows and item indices to render. */
export interface VisibleRange {
  /** First row rendered (inclusive). */
  readonly firstRow: number;
  /** Row after the last one rendered (exclusive). */
  readonly endRow: number;
  /** First item index rendered (inclusive). */
  readonly start: number;
  /** Item index after the last rendered (exclusive), ≤ count. */
  readonly end: number;
  /**
   * Tiles of a full window: {@link windowRows} × columns. Keying tiles by `index % slots`
   * recycles the tile that scrolled out for the one that scrolled in.
   */
  readonly slots: number;
}

/** Rows rendered for a viewport `height` tall: every row it can touch plus overscan each side. */
export function windowRows(layout: GridLayout, height: number, overscan: number): number {
  const pitch = layout.tileHeight + layout.gap;
  return Math.ceil(Math.max(0, height) / pitch) + 1 + 2 * overscan;
}

/**
 * The rows to render at `scrollTop`: those intersecting `[scrollTop, scrollTop + height)` and
 * `overscan` rows each side, always {@link windowRows} rows (fewer only when the grid is
 * shorter), so the number of tiles stays constant while scrolling.
 */
export function visibleRange(
  layout: GridLayout,
  scrollTop: number,
  height: number,
  overscan = 2,
): VisibleRange {
  const count = windowRows(layout, height, overscan);
  const slots = Math.max(1, count * layout.columns);
  if (layout.rows === 0) return { firstRow: 0, endRow: 0, start: 0, end: 0, slots };
  const pitch = layout.tileHeight + layout.gap;
  const top = Math.max(0, scrollTop - layout.gap);
  const first = Math.min(layout.rows - 1, Math.floor(top / pitch));
  const firstRow = Math.max(0, Math.min(first - overscan, layout.rows - count));
  const endRow = Math.min(layout.rows, firstRow + count);
  return {
    firstRow,
    endRow,
    start: firstRow * layout.columns,
    end: Math.min(layout.count, endRow * layout.columns),
    slots,
  };
}

/** Top-left corner of tile `index` in the content. */
export function tilePosition(layout: GridLayout, index: number): { top: number; left: number } {
  const row = Math.floor(index / layout.columns);
  const col = index % layout.columns;
  return {
    top: layout.gap + row * (layout.tileHeight + layout.gap),
    left: layout.gap + col * (layout.tileWidth + layout.gap),
  };
}

/**
 * The scroll position that shows tile `index` whole, moving as little as possible.
 * @returns the new scrollTop (unchanged when the tile is already fully visible)
 */
export function scrollToReveal(
  layout: GridLayout,
  index: number,
  scrollTop: number,
  height: number,
): number {
  const { top } = tilePosition(layout, index);
  const bottom = top + layout.tileHeight + layout.gap;
  if (top - layout.gap < scrollTop) return Math.max(0, top - layout.gap);
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return scrollTop;
}

/** Keys the grid handles. */
export type GridKey =
  'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/** True for a key {@link moveIndex} handles. */
export function isGridKey(key: string): key is GridKey {
  return /^(Arrow(Left|Right|Up|Down)|Home|End|Page(Up|Down))$/.test(key);
}

/**
 * The selection after a key press (clamped to the items; -1 stays -1 only when empty).
 * @param index - current selection, -1 for none (any key then selects the first item)
 * @param pageRows - rows moved by PageUp/PageDown, ≥ 1
 */
export function moveIndex(
  index: number,
  key: GridKey,
  columns: number,
  count: number,
  pageRows = 1,
): number {
  if (count <= 0) return -1;
  if (index < 0) return key === 'End' ? count - 1 : 0;
  const clamp = (i: number): number => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowLeft':
      return clamp(index - 1);
    case 'ArrowRight':
      return clamp(index + 1);
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'ArrowDown':
      return index + columns < count ? index + columns : index;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageUp':
      return clamp(index - columns * Math.max(1, pageRows));
    case 'PageDown':
      return clamp(index + columns * Math.max(1, pageRows));
  }
}

/**
 * Page numbers covering items `[start, end)`.
 * @param pageSize - items per page, ≥ 1
 */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  const out: number[] = [];
  if (end <= start) return out;
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++)
    out.push(p);
  return out;
}
