/**
 * The library catalog: one SQLite file (WAL, foreign keys, numbered migrations) behind one
 * object that Electron main and `bracketeer serve` both use. Database calls are synchronous
 * (better-sqlite3) and short; file work (hashing, decoding, thumbnails) is asynchronous.
 * Plain Node: no Electron import.
 */
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import type { JobOptions } from '../../core/job.js';
import { importFiles, type ImportOptions } from './import-files.js';
import { TileQueryRunner, type Tile, type TileFilter, type TileQuery } from './library-query.js';
import { migrate, schemaVersion } from './migrate.js';
import {
  activeModelVersion,
  addModelVersion,
  listModelVersions,
  setActiveModelVersion,
  type ModelVersion,
  type NewModelVersion,
} from './models.js';
import { openDatabase } from './open-database.js';
import { PhotoQuery } from './photo-query.js';
import { PhotoStore } from './photo-store.js';
import { pruneThumbnails } from './prune-thumbnails.js';
import {
  getRecipe,
  listRecipes,
  saveRecipe,
  type EditRecipe,
  type Recipe,
  type RecipeTarget,
} from './recipes.js';
import { rescan } from './rescan.js';
import { addStack, deleteStack, getStack, listStacks, type Stack } from './stacks.js';
import {
  addToStack,
  detachedPhotos,
  mergeStacks,
  removeFromStack,
  splitStack,
  type StackEditResult,
} from './stack-edits.js';
import type {
  CameraEntry,
  ImportResult,
  ListPhotosQuery,
  Photo,
  PhotoFilter,
  RescanResult,
} from './types.js';

/** An open catalog. Call {@link Catalog.close} when done. */
export class Catalog {
  private readonly store: PhotoStore;
  private readonly query: PhotoQuery;
  private readonly tiles: TileQueryRunner;
  private imports = 0;
  private closed = false;

  private constructor(
    /** Absolute path of the database file. */
    readonly file: string,
    private readonly db: Database,
  ) {
    this.store = new PhotoStore(db);
    this.query = new PhotoQuery(db);
    this.tiles = new TileQueryRunner(db);
  }

  /** Opens a database file (see {@link openCatalog}). */
  static open(dbFile: string): Catalog {
    const file = path.resolve(dbFile);
    const db = openDatabase(file);
    try {
      migrate(db, file);
    } catch (err) {
      db.close();
      throw err;
    }
    return new Catalog(file, db);
  }

  /** Schema version of the file (PRAGMA user_version). */
  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /**
   * Imports image files (see import-files.ts): idempotent per path and content, moved files
   * keep their id, corrupt files are recorded with the reason. Thumbnails go to
   * `options.thumbnailsDir`.
   * @returns one result per path, in order
   */
  async importFiles(paths: readonly string[], options: ImportOptions): Promise<ImportResult[]> {
    this.check();
    this.imports++;
    try {
      return await importFiles(this.store, paths, options);
    } finally {
      this.imports--;
    }
  }

  /** Marks photos whose file is gone as missing, and back to ok when they reappear. */
  rescan(options: JobOptions = {}): Promise<RescanResult> {
    this.check();
    return rescan(this.db, options);
  }

  /**
   * Deletes thumbnails no photo refers to and leftover temporary files.
   * @throws InvalidInputError while an import runs on this catalog
   */
  pruneThumbnails(thumbnailsDir: string): Promise<number> {
    this.check();
    if (this.imports > 0) throw new InvalidInputError('cannot prune thumbnails during an import');
    return pruneThumbnails(this.db, thumbnailsDir);
  }

  /** A page of photos, sorted and filtered (see {@link ListPhotosQuery}). */
  listPhotos(query: ListPhotosQuery = {}): Photo[] {
    this.check();
    return this.query.list(query);
  }

  /** A page of library tiles: a bracket stack is one tile (see library-query.ts). */
  listTiles(query: TileQuery = {}): Tile[] {
    this.check();
    return this.tiles.list(query);
  }

  /** Number of library tiles matching a filter (a stack counts once). */
  countTiles(filter: TileFilter = {}): number {
    this.check();
    return this.tiles.count(filter);
  }

  /** One photo by id, or undefined. */
  getPhoto(id: number): Photo | undefined {
    this.check();
    return this.query.get(id);
  }

  /** Number of photos matching a filter. */
  countPhotos(filter: PhotoFilter = {}): number {
    this.check();
    return this.query.count(filter);
  }

  /** Distinct cameras (make, model, count) for the filter menu. */
  cameras(): CameraEntry[] {
    this.check();
    return this.query.cameras();
  }

  /**
   * Creates a bracket stack; members ordered by exposure, darkest first. `detected`: detection's
   * call, refused for photos the user took out of a stack.
   */
  addStack(
    photoIds: readonly number[],
    options: { label?: string; detected?: boolean } = {},
  ): Stack {
    this.check();
    return addStack(this.db, photoIds, options);
  }

  /** Splits a stack before a frame (see stack-edits.ts); one transaction. */
  splitStack(photoId: number): StackEditResult {
    this.check();
    return splitStack(this.db, photoId);
  }

  /** Merges stacks and/or photos into one stack (see stack-edits.ts); one transaction. */
  mergeStacks(photoIds: readonly number[]): StackEditResult {
    this.check();
    return mergeStacks(this.db, photoIds);
  }

  /** Takes a frame out of its stack (see stack-edits.ts); one transaction. */
  removeFromStack(photoId: number): StackEditResult {
    this.check();
    return removeFromStack(this.db, photoId);
  }

  /** Adds single photos to a stack (see stack-edits.ts); one transaction. */
  addToStack(stackId: number, photoIds: readonly number[]): StackEditResult {
    this.check();
    return addToStack(this.db, stackId, photoIds);
  }

  /** The ids among `ids` that the user took out of a stack (detection skips them). */
  detachedPhotos(ids: readonly number[]): Set<number> {
    this.check();
    return detachedPhotos(this.db, ids);
  }

  /** One stack, or undefined. */
  getStack(id: number): Stack | undefined {
    this.check();
    return getStack(this.db, id);
  }

  /** Every stack with its members. */
  listStacks(): Stack[] {
    this.check();
    return listStacks(this.db);
  }

  /** Deletes a stack (photos stay). */
  deleteStack(id: number): boolean {
    this.check();
    return deleteStack(this.db, id);
  }

  /** Creates or replaces a named recipe (see recipes.ts for versioning). */
  saveRecipe(
    target: RecipeTarget,
    data: EditRecipe,
    options: { name?: string; expectedVersion?: number } = {},
  ): Recipe {
    this.check();
    return saveRecipe(this.db, target, data, options);
  }

  /** A named recipe (default "default"), or undefined. */
  getRecipe(target: RecipeTarget, name?: string): Recipe | undefined {
    this.check();
    return getRecipe(this.db, target, name);
  }

  /** Recipes of a photo id, or of a photo/stack target. */
  listRecipes(target: RecipeTarget | number): Recipe[] {
    this.check();
    return listRecipes(this.db, target);
  }

  /** Registers a new model version (never overwrites an old one). */
  addModelVersion(v: NewModelVersion): ModelVersion {
    this.check();
    return addModelVersion(this.db, v);
  }

  /** Versions of one model, or of all. */
  listModelVersions(modelId?: string): ModelVersion[] {
    this.check();
    return listModelVersions(this.db, modelId);
  }

  /** The active version of a model, or undefined. */
  activeModelVersion(modelId: string): ModelVersion | undefined {
    this.check();
    return activeModelVersion(this.db, modelId);
  }

  /** Makes a version its model's only active one. */
  setActiveModelVersion(versionId: number): ModelVersion {
    this.check();
    return setActiveModelVersion(this.db, versionId);
  }

  /** Closes the database (idempotent). A WAL checkpoint runs on close. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private check(): void {
    if (this.closed) throw new InvalidInputError(`${this.file}: the catalog is closed`);
  }
}

/**
 * Opens the catalog in a database file, creating it and applying pending migrations.
 * @param dbFile - e.g. `<user data>/catalog.sqlite`; its folder is created when missing
 * @throws InvalidInputError naming the file when it cannot be opened, is not a database, or was
 *   written by a newer version of the app; a migration's error when one fails (the file stays at
 *   its last complete version)
 */
export function openCatalog(dbFile: string): Catalog {
  return Catalog.open(dbFile);
}
