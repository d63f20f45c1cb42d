/**
 * The library methods (`library.*`) over the catalog: import files and folders (thumbnails via
 * sharp on libuv threads, hashing streamed, one short transaction per file, a few files at a
 * time), tile pages where a bracket stack is one tile, details, thumbnails, cameras, rescan.
 * Imports run one after the other; `library.changed` is emitted during long imports (at most
 * once a second) and when one ends.
 */
import path from 'node:path';
import {
  openCatalog,
  type Catalog,
  type ImportResult,
  type StackEditResult,
} from '../catalog/index.js';
import { exposureEv } from '../catalog/index.js';
import {
  ApiError,
  parseRequest,
  type ImagePayload,
  type InvokeRequest,
  type LibraryCamera,
  type LibraryFrame,
  type LibraryImportResult,
  type LibraryPage,
  type LibraryPhotoDetails,
  type LibraryItem,
  type LibraryRescanResult,
  type LibraryStackEditResult,
} from '../../shared/api/index.js';
import type { EventBus } from './event-bus.js';
import { expandPaths } from './library/expand-paths.js';
import { findStacks } from './library/find-stacks.js';
import { thumbnailFrame } from './library/thumbnail-frame.js';
import { wireExif, wireItem, wireStatus, wireTile } from './library/wire.js';
import type { PathPolicy } from './paths.js';
import type { ServiceArea } from './service-area.js';

/** Files imported at once (sharp and hashing overlap; the catalog serialises its writes). */
const IMPORT_CONCURRENCY = 3;
/** Files per catalog call. */
const CHUNK = 8;
/** Shortest interval between two `library.changed` events of one import, ms. */
const CHANGED_INTERVAL_MS = 1000;

/** Where the library keeps its files. */
export interface LibraryLocation {
  /** The SQLite file, e.g. `<data dir>/library.sqlite`. */
  readonly dbFile: string;
  /** Thumbnail cache folder. */
  readonly thumbnailsDir: string;
}

/** Database file and thumbnail folder inside a user-data folder. */
export function libraryLocation(dataDir: string): LibraryLocation {
  const dir = path.resolve(dataDir);
  return {
    dbFile: path.join(dir, 'library.sqlite'),
    thumbnailsDir: path.join(dir, 'thumbnails'),
  };
}

/** The library area. */
export class LibraryService implements ServiceArea {
  readonly name = 'library';
  readonly handlers = {
    'library.import': this.importPaths.bind(this),
    'library.list': this.list.bind(this),
    'library.photo': this.photo.bind(this),
    'library.thumbnail': this.thumbnail.bind(this),
    'library.cameras': this.cameras.bind(this),
    'library.rescan': this.rescan.bind(this),
    'library.splitStack': this.splitStack.bind(this),
    'library.mergeStack': this.mergeStack.bind(this),
    'library.removeFromStack': this.removeFromStack.bind(this),
    'library.addToStack': this.addToStack.bind(this),
  };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    /** The open catalog (closed by {@link LibraryService.close}). */
    readonly catalog: Catalog,
    private readonly thumbnailsDir: string,
    private readonly paths: PathPolicy,
    private readonly events: EventBus,
  ) {}

  /**
   * Opens (creating) the catalog at `location`.
   * @throws InvalidInputError naming the database file when it cannot be opened
   */
  static open(location: LibraryLocation, paths: PathPolicy, events: EventBus): LibraryService {
    return new LibraryService(openCatalog(location.dbFile), location.thumbnailsDir, paths, events);
  }

  /** Runs `fn` after every earlier import/rescan has finished. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private changed(reason: 'import' | 'rescan' | 'stacks'): void {
    this.events.emit('library.changed', { reason, total: this.catalog.countTiles() });
  }

  /** `library.import`: files and folders (recursive); counts and per-file errors. */
  importPaths(request: InvokeRequest<'library.import'>): Promise<LibraryImportResult> {
    const req = parseRequest('library.import', request);
    return this.serial(async () => {
      const t0 = performance.now();
      const { files, errors } = await expandPaths(req.paths, this.paths);
      const results = await this.importFiles(files);
      const counts = { added: 0, unchanged: 0, updated: 0, moved: 0, restored: 0 };
      const ids: number[] = [];
      for (const r of results) {
        if (r.status === 'error') {
          errors.push({ path: r.path, message: r.message ?? `${r.path}: unreadable` });
          continue;
        }
        if (r.status === 'unchanged' && r.photoId !== undefined) {
          // a file known to be unreadable is skipped by the catalog: still report it
          const known = this.catalog.getPhoto(r.photoId);
          if (known?.status === 'error') {
            errors.push({ path: r.path, message: known.statusMessage ?? `${r.path}: unreadable` });
            continue;
          }
        }
        counts[r.status]++;
        if (r.photoId !== undefined) ids.push(r.photoId);
      }
      const stacks = await findStacks(this.catalog, ids);
      this.changed('import');
      return {
        files: files.length,
        ...counts,
        failed: errors.length,
        stacks,
        errors,
        ms: Math.round(performance.now() - t0),
      };
    });
  }

  private async importFiles(files: readonly string[]): Promise<ImportResult[]> {
    const results: ImportResult[] = new Array<ImportResult>(files.length);
    let next = 0;
    let lastEvent = Date.now();
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const start = next;
        next = Math.min(files.length, next + CHUNK);
        const done = await this.catalog.importFiles(files.slice(start, next), {
          thumbnailsDir: this.thumbnailsDir,
        });
        done.forEach((r, k) => (results[start + k] = r));
        if (Date.now() - lastEvent >= CHANGED_INTERVAL_MS) {
          lastEvent = Date.now();
          this.changed('import');
        }
      }
    };
    await Promise.all(Array.from({ length: IMPORT_CONCURRENCY }, worker));
    return results;
  }

  /** `library.list`: a page of tiles (a stack is one tile). */
  async list(request: InvokeRequest<'library.list'>): Promise<LibraryPage> {
    const req = parseRequest('library.list', request);
    const filter = req.filter;
    const total = this.catalog.countTiles(filter);
    const tiles = this.catalog.listTiles({
      ...filter,
      sort: req.sort,
      order: req.order,
      offset: req.offset,
      limit: req.limit,
    });
    return { total, offset: req.offset, items: tiles.map(wireTile) };
  }

  private photoOrThrow(method: string, id: number) {
    const p = this.catalog.getPhoto(id);
    if (!p) throw new ApiError('not-found', `${method}: id: no photo ${id} in the library`, 'id');
    return p;
  }

  /** `library.photo`: details of one photo, with its stack's frames. */
  async photo(request: InvokeRequest<'library.photo'>): Promise<LibraryPhotoDetails> {
    const req = parseRequest('library.photo', request);
    const p = this.photoOrThrow('library.photo', req.id);
    const stack = p.stackId !== null ? this.catalog.getStack(p.stackId) : undefined;
    const frames: LibraryFrame[] = [];
    for (const m of stack?.members ?? []) {
      const f = this.catalog.getPhoto(m.photoId);
      if (!f) continue;
      frames.push({
        id: f.id,
        name: f.name,
        path: f.path,
        status: wireStatus(f.status),
        exposureEv: m.exposureEv ?? exposureEv(f.exif),
      });
    }
    const missing =
      frames.length > 0
        ? frames.filter((f) => f.status !== 'present').length
        : p.status === 'ok'
          ? 0
          : 1;
    return {
      ...wireItem(p, Math.max(1, frames.length), missing),
      contentHash: p.contentHash,
      sizeBytes: p.sizeBytes,
      mtimeMs: p.mtimeMs,
      exif: wireExif(p),
      importedAt: p.importedAt,
      frames,
      stackEdited: stack?.userEdited ?? false,
    };
  }

  /** The tile showing a photo: itself, or its stack (by its middle frame, as library.list). */
  private tileOf(photoId: number): LibraryItem | undefined {
    const p = this.catalog.getPhoto(photoId);
    if (!p) return undefined;
    const stack = p.stackId !== null ? this.catalog.getStack(p.stackId) : undefined;
    if (!stack || stack.members.length === 0) return wireItem(p, 1, p.status === 'ok' ? 0 : 1);
    const frames = stack.members.map((m) => this.catalog.getPhoto(m.photoId));
    const rep = frames[Math.floor((frames.length - 1) / 2)] ?? p;
    const missing = frames.filter((f) => f?.status !== 'ok').length;
    return wireItem(rep, frames.length, missing);
  }

  /** Tiles of an edit's outcome; emits `library.changed`. */
  private edited(r: StackEditResult): LibraryStackEditResult {
    const tiles: LibraryItem[] = [];
    for (const sid of r.stacks) {
      const first = this.catalog.getStack(sid)?.members[0];
      const t = first ? this.tileOf(first.photoId) : undefined;
      if (t) tiles.push(t);
    }
    for (const id of r.singles) {
      const t = this.tileOf(id);
      if (t) tiles.push(t);
    }
    this.changed('stacks');
    return { tiles, total: this.catalog.countTiles() };
  }

  /** `library.splitStack`: the frames from `id` on become a stack of their own. */
  async splitStack(request: InvokeRequest<'library.splitStack'>): Promise<LibraryStackEditResult> {
    const req = parseRequest('library.splitStack', request);
    this.photoOrThrow('library.splitStack', req.id);
    return this.edited(this.catalog.splitStack(req.id));
  }

  /** `library.mergeStack`: photos and/or stacks into one stack. */
  async mergeStack(request: InvokeRequest<'library.mergeStack'>): Promise<LibraryStackEditResult> {
    const req = parseRequest('library.mergeStack', request);
    for (const id of req.ids) this.photoOrThrow('library.mergeStack', id);
    return this.edited(this.catalog.mergeStacks(req.ids));
  }

  /** `library.removeFromStack`: one frame out of its stack. */
  async removeFromStack(
    request: InvokeRequest<'library.removeFromStack'>,
  ): Promise<LibraryStackEditResult> {
    const req = parseRequest('library.removeFromStack', request);
    this.photoOrThrow('library.removeFromStack', req.id);
    return this.edited(this.catalog.removeFromStack(req.id));
  }

  /** `library.addToStack`: single photos into an existing stack. */
  async addToStack(request: InvokeRequest<'library.addToStack'>): Promise<LibraryStackEditResult> {
    const req = parseRequest('library.addToStack', request);
    if (!this.catalog.getStack(req.stackId)) {
      throw new ApiError(
        'not-found',
        `library.addToStack: stackId: no stack ${req.stackId} in the library`,
        'stackId',
      );
    }
    for (const id of req.ids) this.photoOrThrow('library.addToStack', id);
    return this.edited(this.catalog.addToStack(req.stackId, req.ids));
  }

  /** `library.thumbnail`: the cached thumbnail as 8-bit RGB (also while the original is gone). */
  async thumbnail(request: InvokeRequest<'library.thumbnail'>): Promise<ImagePayload> {
    const req = parseRequest('library.thumbnail', request);
    const p = this.photoOrThrow('library.thumbnail', req.id);
    if (!p.thumbnailPath) {
      throw new ApiError(
        'not-found',
        `library.thumbnail: ${p.path} has no thumbnail (${p.statusMessage ?? 'unreadable'})`,
        'id',
      );
    }
    return thumbnailFrame(p.thumbnailPath, req.maxSize);
  }

  /** `library.cameras`: cameras with photo counts. */
  async cameras(request: InvokeRequest<'library.cameras'>): Promise<readonly LibraryCamera[]> {
    parseRequest('library.cameras', request);
    return this.catalog.cameras();
  }

  /** `library.rescan`: marks originals that are gone as missing (and back when they return). */
  rescan(request: InvokeRequest<'library.rescan'>): Promise<LibraryRescanResult> {
    parseRequest('library.rescan', request);
    return this.serial(async () => {
      const r = await this.catalog.rescan();
      this.changed('rescan');
      return {
        checked: r.checked,
        missing: r.missing.length,
        restored: r.restored.length,
        changed: r.changed.length,
      };
    });
  }

  /** Waits for a running import, then closes the database. */
  async close(): Promise<void> {
    await this.queue;
    this.catalog.close();
  }
}

/** Stands in for the library when no data folder was given: every method says so. */
export class NoLibraryService implements ServiceArea {
  readonly name = 'library (none)';
  readonly handlers = {
    'library.import': () => this.fail('library.import'),
    'library.list': () => this.fail('library.list'),
    'library.photo': () => this.fail('library.photo'),
    'library.thumbnail': () => this.fail('library.thumbnail'),
    'library.cameras': () => this.fail('library.cameras'),
    'library.rescan': () => this.fail('library.rescan'),
    'library.splitStack': () => this.fail('library.splitStack'),
    'library.mergeStack': () => this.fail('library.mergeStack'),
    'library.removeFromStack': () => this.fail('library.removeFromStack'),
    'library.addToStack': () => this.fail('library.addToStack'),
  };

  private fail(method: string): Promise<never> {
    return Promise.reject(
      new ApiError('not-found', `${method}: no library is open (the backend has no data folder)`),
    );
  }
}
