/**
 * Pages of library tiles fetched on demand and cached (least recently used pages dropped beyond
 * a limit). A new query ({@link PageCache.reset}) or changed data ({@link PageCache.refresh})
 * bumps the generation: answers of older generations are ignored, so a slow page never
 * overwrites newer data. After a refresh the old pages stay visible until their new versions
 * arrive, so tiles do not blink.
 */
import type { LibraryItem, LibraryPage } from '../../../shared/api/types.js';

/** Fetches one page: `offset`, `limit` of the current query. */
export type PageFetcher = (offset: number, limit: number) => Promise<LibraryPage>;

/** Cache of pages of one query. */
export class PageCache {
  private pages = new Map<number, readonly LibraryItem[]>();
  private inFlight = new Set<number>();
  /** Pages shown but due for a reload (after {@link refresh}). */
  private stale = new Set<number>();
  private generation = 0;
  /** Tiles of the query as last reported by the backend (−1 before the first answer). */
  total = -1;

  constructor(
    private fetcher: PageFetcher,
    /** Called when a page arrived or the total changed. */
    private readonly onChange: () => void,
    private readonly onError: (err: unknown) => void,
    readonly pageSize = 200,
    private readonly maxPages = 40,
  ) {}

  /** Forgets every page (new query or data changed); keeps the total until the next answer. */
  reset(fetcher?: PageFetcher): void {
    if (fetcher) this.fetcher = fetcher;
    this.generation++;
    this.pages = new Map();
    this.inFlight = new Set();
    this.stale = new Set();
  }

  /** Same query, changed data: reloads pages as they are asked for, showing the old meanwhile. */
  refresh(): void {
    this.generation++;
    this.inFlight = new Set();
    this.stale = new Set(this.pages.keys());
  }

  /** The item at `index`, or undefined while its page is not loaded. */
  item(index: number): LibraryItem | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.[index % this.pageSize];
  }

  /** Loads page `p` unless it is cached or on its way. */
  ensure(p: number): void {
    const cached = this.pages.get(p);
    if (cached && !this.stale.has(p)) {
      this.pages.delete(p); // refresh LRU order
      this.pages.set(p, cached);
      return;
    }
    if (this.inFlight.has(p)) return;
    this.inFlight.add(p);
    const gen = this.generation;
    this.fetcher(p * this.pageSize, this.pageSize)
      .then((page) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(p);
        this.stale.delete(p);
        this.pages.delete(p);
        this.pages.set(p, page.items);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value;
          if (oldest === undefined) break;
          this.pages.delete(oldest);
        }
        this.total = page.total;
        this.onChange();
      })
      .catch((err: unknown) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(p);
        this.onError(err);
      });
  }
}
