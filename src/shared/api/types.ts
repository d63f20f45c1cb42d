/**
 * Response and event payload types of the contract. Plain data only (JSON-serialisable), declared
 * here rather than imported from src/core so the renderer never pulls engine modules in; the
 * services' implementations are checked against them at compile time.
 */

/** One parameter of a tone-mapping operator or adjustment: drives a slider. */
export interface ParamInfo {
  readonly key: string;
  readonly label: string;
  /** Unit shown next to the value ("EV", "px", "" for unitless). */
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly step: number;
  readonly description: string;
}

/** A tone-mapping operator, named by paper and year (e.g. "drago03"). */
export interface OperatorInfo {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
  /** "global": a per-pixel curve; "local": looks at neighbourhoods (slower). */
  readonly kind: 'global' | 'local';
  readonly params: readonly ParamInfo[];
}

/** Response of `ops.list`. */
export interface OpsList {
  /** Every operator, in display order. */
  readonly operators: readonly OperatorInfo[];
  /** Exposure, saturation and gamma: applied after any operator. */
  readonly adjustments: readonly ParamInfo[];
  /** The operator `image.preview` uses for HDR files. */
  readonly defaultOperator: string;
}

/** The TensorFlow.js backend the model runtime uses. */
export interface RuntimeInfo {
  /** Engine running inference: 'tfjs-node-gpu' | 'onnxruntime' | 'tfjs-node' | 'wasm' | 'cpu'. */
  readonly inference: string;
  /** ONNX Runtime's execution provider ('cuda' | 'webgpu' | 'cpu') when inference is 'onnxruntime'. */
  readonly provider: string | null;
  /** Worker threads ONNX Runtime runs tiles on at once (0: none, or not ONNX Runtime). */
  readonly workers: number;
  /** TensorFlow.js backend id (training; inference too unless `inference` is 'onnxruntime'). */
  readonly backend: string;
  /** tfjs's own name for it. */
  readonly tfName: string;
  readonly threads: number;
  readonly simd: boolean;
  /**
   * Backends passed over, with the reason; ONNX Runtime providers not used are named
   * 'onnxruntime/<provider>'.
   */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly notes: readonly string[];
}

/** A model installed in the models folder. */
export interface ModelInfo {
  readonly id: string;
  readonly architecture: string;
  /** Config name (tiny, lite, paper…). */
  readonly config: string;
  readonly description: string | null;
  /** SHA-256 of the weights (hex). */
  readonly sha256: string;
  /** The model bracket jobs use when none is named. */
  readonly isDefault: boolean;
}

/** Response of `app.info`. */
export interface AppInfo {
  readonly name: 'Bracketeer';
  readonly version: string;
  /** Version of this contract; bumped on incompatible changes. */
  readonly apiVersion: number;
  /** The model runtime's backend, or null when it could not start (see runtimeError). */
  readonly runtime: RuntimeInfo | null;
  readonly runtimeError: string | null;
  readonly models: readonly ModelInfo[];
  /** Folder searched for models, or null when none was found. */
  readonly modelsDirectory: string | null;
  /** Node.js version of the backend. */
  readonly node: string;
}

/** Life cycle of a job: queued → running → done | failed | cancelled (queued → cancelled too). */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What a finished bracket job wrote. */
export interface BracketJobResult {
  readonly input: { readonly path: string; readonly width: number; readonly height: number };
  /** One file per EV, in the order asked for. */
  readonly frames: readonly { readonly ev: number; readonly path: string }[];
  readonly model: { readonly id: string; readonly sha256: string };
  /** Backend id the model ran on. */
  readonly backend: string;
  /** Model wall time, ms. */
  readonly renderMs: number;
  /** Whole job, ms (decode, model, encode, write). */
  readonly totalMs: number;
  /** The merged HDR (.exr/.hdr) when the job asked for one. */
  readonly merged?: string;
  /** The response the merge used: the photo's camera profile, or calibrated on the frames. */
  readonly mergeResponse?: { readonly profile: PhotoCameraProfile | null; readonly source: string };
  /** Folder the files were written to. */
  readonly outDir?: string;
}

/** What a finished `bracket.strip` job rendered (frames are fetched with `bracket.frame`). */
export interface StripJobResult {
  readonly kind: 'strip';
  readonly path: string;
  /** Frame size, pixels. */
  readonly width: number;
  readonly height: number;
  readonly evs: readonly number[];
  readonly model: { readonly id: string; readonly sha256: string };
  /** Model wall time (encode once + every EV), ms. */
  readonly renderMs: number;
  readonly totalMs: number;
}

/** What a finished `export.tonemap` job wrote. */
export interface ExportJobResult {
  readonly kind: 'export';
  readonly outDir: string;
  /** One file per input, in the order asked for. */
  readonly files: readonly { readonly input: string; readonly path: string }[];
  readonly totalMs: number;
}

/** The result of any job (bracket results carry no `kind`, for compatibility). */
export type JobResult = BracketJobResult | StripJobResult | ExportJobResult | FinetuneJobResult;

/** What a finished `finetune.start` / `finetune.resume` job did (a pause also ends the job). */
export interface FinetuneJobResult {
  readonly kind: 'finetune';
  /** The run (its checkpoint folder is kept while paused). */
  readonly runId: string;
  readonly stoppedBy: 'done' | 'early-stop' | 'paused';
  /** The new model; null when paused. */
  readonly model: { readonly id: string; readonly sha256: string } | null;
  readonly step: number;
  /** Step whose weights were saved (0: the base model's). */
  readonly bestStep: number;
  /** Mean held-out PSNR before / after, dB. */
  readonly beforeMean: number;
  readonly afterMean: number;
  /** The before/after Markdown table. */
  readonly table: string;
  readonly stepsPerSecond: number;
  readonly wallSeconds: number;
}

/** Payload of `finetune.progress`: one training event of a fine-tuning job. */
export interface FinetuneProgressEvent {
  readonly jobId: string;
  readonly runId: string;
  /** `crops`: new before/after crops (finetune.crop), or why they failed (message). */
  readonly type:
    'stack' | 'start' | 'step' | 'validation' | 'early-stop' | 'checkpoint' | 'saved' | 'crops';
  readonly step: number;
  readonly totalSteps: number;
  /** Training loss of the step (step events), else null. */
  readonly loss: number | null;
  readonly stepsPerSecond: number | null;
  readonly etaSeconds: number | null;
  /** Held-out PSNR per EV offset ("-2" → dB; validation events), else null. */
  readonly psnr: Readonly<Record<string, number>> | null;
  readonly meanPsnr: number | null;
  readonly bestStep: number | null;
  readonly message: string;
}

/** A fine-tuning run with a checkpoint (paused, or running). */
export interface FinetuneRun {
  readonly runId: string;
  /** The new model's id. */
  readonly id: string;
  readonly from: string;
  readonly state: 'running' | 'paused';
  readonly jobId: string | null;
  /** Step of the last checkpoint. */
  readonly step: number;
  readonly totalSteps: number;
  readonly createdAt: string;
}

/** A model of `models.list`: shipped, or the user's (fine-tuned, imported). */
export interface ModelListItem {
  readonly id: string;
  readonly kind: 'shipped' | 'fine-tune';
  readonly config: string;
  readonly description: string | null;
  readonly sha256: string;
  /** The model it was fine-tuned from. */
  readonly base: string | null;
  /** Camera key "Make Model" of its profile. */
  readonly camera: string | null;
  /** ISO-8601 creation time (fine-tunes). */
  readonly createdAt: string | null;
  /** Mean held-out PSNR before / after the fine-tune, dB. */
  readonly beforeMean: number | null;
  readonly afterMean: number | null;
  /** Held-out PSNR per EV offset before / after, dB. */
  readonly before: Readonly<Record<string, number>> | null;
  readonly after: Readonly<Record<string, number>> | null;
  readonly isDefault: boolean;
  /** Whether `models.delete` may remove it. */
  readonly deletable: boolean;
}

/** Which model each camera uses: camera key "Make Model" → model id. */
export interface ModelsActive {
  readonly byCamera: Readonly<Record<string, string>>;
}

/** Response of `models.forPhoto`: the model bracket jobs use for a photo, and why. */
export interface PhotoModel {
  readonly model: string;
  /** The photo's camera key, null when not recorded. */
  readonly camera: string | null;
  /** `camera`: chosen for its camera; `default`: the default model. */
  readonly reason: 'camera' | 'default';
  readonly kind: 'shipped' | 'fine-tune';
  /** The model's camera profile when it is for this photo's camera (HDR merges use it), else null. */
  readonly profile: PhotoCameraProfile | null;
  /** Why the model's camera profile could not be read (a corrupt file), when it could not. */
  readonly profileError?: string;
}

/** A camera profile active for a photo: its inverse response replaces sRGB in HDR merges. */
export interface PhotoCameraProfile {
  /** Camera key "Make Model" of the profile. */
  readonly key: string;
  /** Picture style it is limited to, null for any style. */
  readonly style: string | null;
  /** Debevec fit residual (weighted RMS, natural-log exposure units). */
  readonly residual: number;
  /** The model folder it comes from. */
  readonly model: string;
}

/** Payload of `bracket.frameReady`: a strip frame can be fetched with `bracket.frame`. */
export interface StripFrameEvent {
  readonly jobId: string;
  readonly ev: number;
  /** Position in the job's EV list. */
  readonly index: number;
  readonly width: number;
  readonly height: number;
}

/** A job as `jobs.list` and `job.queued` report it. */
export interface JobInfo {
  readonly jobId: string;
  readonly kind: 'bracket' | 'strip' | 'export' | 'finetune';
  /** One line for a queue panel, e.g. "photo.jpg: 6 frames (jpg)". */
  readonly label: string;
  readonly state: JobState;
  /** Fraction done, 0…1. */
  readonly fraction: number;
  readonly message: string;
  /** Estimated seconds left, null while unknown. */
  readonly etaSeconds: number | null;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** Set once `jobs.cancel` was called for a running job that has not stopped yet. */
  readonly cancelRequested: boolean;
  /** One line, for a failed job. */
  readonly error: string | null;
  readonly result: JobResult | null;
}

/** Payload of `job.progress`. */
export interface JobProgressEvent {
  readonly jobId: string;
  /** 0…1, non-decreasing. */
  readonly fraction: number;
  readonly message: string;
  /** Estimated seconds left, null while unknown. */
  readonly etaSeconds: number | null;
}

/** Library: whether a photo's original is on disk (`error`: present but unreadable). */
export type LibraryPhotoStatus = 'present' | 'missing' | 'error';

/** Library sort keys: capture date (else file date), file name, camera (then date). */
export type LibrarySort = 'date' | 'name' | 'camera';

/** EXIF fields of a library photo (absent when not recorded). */
export interface LibraryExif {
  /** Shutter time, seconds. */
  readonly exposureTime?: number;
  /** Aperture f-number. */
  readonly fNumber?: number;
  readonly iso?: number;
  /** Exposure compensation, EV. */
  readonly exposureBias?: number;
  readonly lensModel?: string;
  /** EXIF orientation 1…8 (thumbnails are already upright). */
  readonly orientation?: number;
}

/** One tile of the library grid: a photo, or a bracket stack shown by its middle frame. */
export interface LibraryItem {
  /** Photo id (for a stack: its representative frame). */
  readonly id: number;
  readonly name: string;
  /** Absolute path of the original. */
  readonly path: string;
  /** Pixels (upright); null for unreadable files. */
  readonly width: number | null;
  readonly height: number | null;
  readonly kind: 'ldr' | 'hdr' | null;
  /** EXIF capture time, ISO-8601 (null when not recorded). */
  readonly captureTime: string | null;
  /** Sort time: capture time, else file modification time (ms since 1970). */
  readonly sortTimeMs: number;
  readonly cameraMake: string | null;
  readonly cameraModel: string | null;
  readonly status: LibraryPhotoStatus;
  /** Why the file is unreadable, naming it (status `error`). */
  readonly statusMessage: string | null;
  /** Bracket stack id, or null for a single photo. */
  readonly stackId: number | null;
  /** Frames shown by this tile: 1 for a single photo, ≥ 2 for a stack. */
  readonly frameCount: number;
  /** Frames of the stack (or this photo) whose original is not present. */
  readonly missingFrames: number;
  /** Whether `library.thumbnail` has an image for it. */
  readonly hasThumbnail: boolean;
}

/** Response of `library.list`. */
export interface LibraryPage {
  /** Tiles matching the filter (a stack counts once). */
  readonly total: number;
  readonly offset: number;
  readonly items: readonly LibraryItem[];
}

/** One frame of a stack, darkest first. */
export interface LibraryFrame {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly status: LibraryPhotoStatus;
  /** Exposure in EV (log2 t·ISO/100/N²), null when unknown. */
  readonly exposureEv: number | null;
}

/** Response of `library.photo`: a tile's details for the EXIF panel. */
export interface LibraryPhotoDetails extends LibraryItem {
  /** SHA-256 of the file (hex). */
  readonly contentHash: string;
  readonly sizeBytes: number;
  /** File modification time, ms. */
  readonly mtimeMs: number;
  readonly exif: LibraryExif;
  /** When it entered the catalog, ms. */
  readonly importedAt: number;
  /** The stack's frames, darkest first (empty for a single photo). */
  readonly frames: readonly LibraryFrame[];
  /** True when the user split, merged or changed this stack (false for a single photo). */
  readonly stackEdited: boolean;
}

/** A camera of the filter menu (null = not recorded). */
export interface LibraryCamera {
  readonly make: string | null;
  readonly model: string | null;
  /** Photos taken with it. */
  readonly count: number;
}

/** Response of `library.import`. */
export interface LibraryImportResult {
  /** Image files found (folders expanded). */
  readonly files: number;
  readonly added: number;
  /** Already catalogued with the same content (re-import). */
  readonly unchanged: number;
  /** Catalogued at this path before with other content. */
  readonly updated: number;
  /** Same content found at a new path; the photo keeps its id. */
  readonly moved: number;
  /** A missing photo's file is back. */
  readonly restored: number;
  readonly failed: number;
  /** Bracket stacks detected among the imported photos. */
  readonly stacks: number;
  /** One entry per failed file; the message names the file and the problem. */
  readonly errors: readonly { readonly path: string; readonly message: string }[];
  /** Wall time, ms. */
  readonly ms: number;
}

/** Response of `library.rescan`. */
export interface LibraryRescanResult {
  readonly checked: number;
  /** Photos newly marked missing. */
  readonly missing: number;
  /** Missing photos whose file came back. */
  readonly restored: number;
  /** Present files whose size or date changed (re-import them). */
  readonly changed: number;
}

/**
 * Response of the stack edits (`library.splitStack`, `library.mergeStack`,
 * `library.removeFromStack`, `library.addToStack`).
 */
export interface LibraryStackEditResult {
  /** The tiles the edit left (stacks and single photos), in order; replace the edited ones. */
  readonly tiles: readonly LibraryItem[];
  /** Tiles in the library now (a stack counts once). */
  readonly total: number;
}

/** Payload of `library.changed`. */
export interface LibraryChangedEvent {
  /** `stacks`: the user split, merged or changed a bracket stack. */
  readonly reason: 'import' | 'rescan' | 'stacks';
  /** Tiles in the library now (a stack counts once). */
  readonly total: number;
}

/**
 * Payload of `menu.command`: a native menu action (or a file dropped on the window) the renderer
 * carries out. File choices are made in main's native dialogs, so they arrive as absolute paths.
 */
export type MenuCommand =
  /** Open these image files (File ▸ Open…, Open Recent, or files dropped on the window). */
  | { readonly command: 'file.open'; readonly paths: readonly string[] }
  /** Import every image of this folder into the library (File ▸ Import folder…). */
  | { readonly command: 'file.import-folder'; readonly folder: string }
  /** Export the current photo (File ▸ Export…); the renderer asks for the details. */
  | { readonly command: 'file.export' }
  /** Show the library grid (View ▸ Library, G). */
  | { readonly command: 'view.library' }
  /** Show the editor (View ▸ Editor, E). */
  | { readonly command: 'view.editor' };
