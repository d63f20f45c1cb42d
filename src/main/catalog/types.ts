/**
 * Public types of the library catalog: what the catalog hands to Electron main, `bracketeer serve`
 * and (through the shared contract) the renderer. Times are milliseconds since 1970-01-01 UTC
 * unless said otherwise.
 */

/** `ok`: the file is present and was read; `missing`: its file is gone; `error`: unreadable. */
export type PhotoStatus = 'ok' | 'missing' | 'error';

/** `ldr`: display-referred photo (JPEG/PNG/TIFF…); `hdr`: scene-linear (.hdr, .exr, float TIFF). */
export type PhotoKind = 'ldr' | 'hdr';

/** EXIF fields that are not columns of their own (stored as JSON). */
export interface PhotoExif {
  /** Shutter time in seconds. */
  readonly exposureTime?: number;
  /** Aperture f-number, e.g. 2.8. */
  readonly fNumber?: number;
  readonly iso?: number;
  /** Exposure compensation in EV. */
  readonly exposureBias?: number;
  readonly lensModel?: string;
  /** EXIF orientation 1…8 (1 = upright); the thumbnail is already rotated. */
  readonly orientation?: number;
}

/** One photo of the library. */
export interface Photo {
  readonly id: number;
  /** Absolute path of the original file. */
  readonly path: string;
  /** File name (last path component), used for sorting by name. */
  readonly name: string;
  /** SHA-256 of the file's bytes, 64 lower-case hex digits. */
  readonly contentHash: string;
  readonly sizeBytes: number;
  /** File modification time (ms). */
  readonly mtimeMs: number;
  /** Pixel size as displayed (EXIF orientation applied); null for unreadable files. */
  readonly width: number | null;
  readonly height: number | null;
  readonly kind: PhotoKind | null;
  /** EXIF capture time, ISO-8601 with sub-seconds (zone suffix only when recorded). */
  readonly captureTime: string | null;
  /** {@link captureTime} in ms (wall-clock read as UTC when the zone is unknown). */
  readonly captureTimeMs: number | null;
  /** Sort key of "date": the capture time, else the file modification time (ms). */
  readonly sortTimeMs: number;
  readonly cameraMake: string | null;
  readonly cameraModel: string | null;
  readonly exif: PhotoExif;
  /** Absolute path of the JPEG thumbnail (≤ 320 px long side); null for unreadable files. */
  readonly thumbnailPath: string | null;
  readonly status: PhotoStatus;
  /** Why the file is unreadable (names the file) when status is `error`. */
  readonly statusMessage: string | null;
  /** Id of the bracket stack the photo belongs to, if any. */
  readonly stackId: number | null;
  readonly importedAt: number;
  readonly updatedAt: number;
}

/** A camera of the filter menu: make and model as recorded (null = not recorded). */
export interface CameraEntry {
  readonly make: string | null;
  readonly model: string | null;
  /** Number of photos taken with it. */
  readonly count: number;
}

/** Filters of {@link ListPhotosQuery} and countPhotos. Absent fields do not filter. */
export interface PhotoFilter {
  /** Only this camera (null make/model = photos without that EXIF field). */
  readonly camera?: { readonly make: string | null; readonly model: string | null };
  /** true: only photos in a bracket stack; false: only photos in none. */
  readonly hasStack?: boolean;
  /** Only these statuses. */
  readonly status?: PhotoStatus | readonly PhotoStatus[];
}

/** Sort keys of the library grid. */
export type PhotoSort = 'captureTime' | 'importedAt' | 'name';

/** A page of the library grid. */
export interface ListPhotosQuery extends PhotoFilter {
  /** Default 'captureTime' (capture time, else file time). */
  readonly sort?: PhotoSort;
  /** Default 'asc'. Ties are broken by id in the same direction. */
  readonly order?: 'asc' | 'desc';
  /** Rows to skip, ≥ 0; default 0. */
  readonly offset?: number;
  /** Rows to return, 1…10,000; default 200. */
  readonly limit?: number;
}

/** Outcome of importing one file. */
export type ImportStatus = 'added' | 'unchanged' | 'updated' | 'moved' | 'restored' | 'error';

/** Per-file result of importFiles. */
export interface ImportResult {
  /** The path as given, resolved to an absolute path. */
  readonly path: string;
  readonly status: ImportStatus;
  /** Catalog id (absent only when nothing was recorded, e.g. the path does not exist). */
  readonly photoId?: number;
  /** Where the photo was before, for `moved`. */
  readonly previousPath?: string;
  /** The reason, naming the file, for `error`. */
  readonly message?: string;
}

/** Summary of a rescan. */
export interface RescanResult {
  /** Rows looked at (status ok or missing). */
  readonly checked: number;
  /** Ids newly marked missing. */
  readonly missing: readonly number[];
  /** Ids whose file reappeared (back to ok). */
  readonly restored: readonly number[];
  /** Ids whose file is present but whose size or modification time changed (re-import them). */
  readonly changed: readonly number[];
}
