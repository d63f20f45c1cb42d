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
  /** Backend id: 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu'. */
  readonly backend: string;
  /** tfjs's own name for it. */
  readonly tfName: string;
  readonly threads: number;
  readonly simd: boolean;
  /** Backends passed over, with the reason. */
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
}

/** A job as `jobs.list` and `job.queued` report it. */
export interface JobInfo {
  readonly jobId: string;
  readonly kind: 'bracket';
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
  readonly result: BracketJobResult | null;
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
