/**
 * THE contract between the renderer and the backend: every invoke method (its request schema and
 * response type) and every event (its payload type). Electron's preload implements it over IPC,
 * `bracketeer serve` over HTTP + WebSocket; both validate every request with these schemas.
 */
import type { z } from 'zod';
import type { ImagePayload } from './image-wire.js';
import {
  bracketFrameRequest,
  bracketRenderRequest,
  bracketStartRequest,
  bracketStripRequest,
  emptyRequest,
  exportTonemapRequest,
  hdrPixelsRequest,
  imagePreviewRequest,
  jobsCancelRequest,
  libraryImportRequest,
  libraryListRequest,
  libraryPhotoRequest,
  libraryThumbnailRequest,
  tonemapPreviewRequest,
} from './schemas.js';
import {
  libraryAddToStackRequest,
  libraryMergeStackRequest,
  libraryStackFrameRequest,
} from './schemas.js';
import {
  finetuneCropRequest,
  finetunePauseRequest,
  finetuneRunRequest,
  finetuneStartRequest,
  modelIdRequest,
  modelsExportRequest,
  modelsForPhotoRequest,
  modelsImportRequest,
  modelsSetActiveRequest,
} from './schemas.js';
import type {
  FinetuneProgressEvent,
  FinetuneRun,
  ModelListItem,
  ModelsActive,
  PhotoModel,
} from './types.js';
import type { AppInfo, JobInfo, JobProgressEvent, OpsList } from './types.js';
import type { JobResult, StripFrameEvent } from './types.js';
import type { MenuCommand } from './types.js';
import type {
  LibraryCamera,
  LibraryChangedEvent,
  LibraryImportResult,
  LibraryPage,
  LibraryPhotoDetails,
  LibraryRescanResult,
  LibraryStackEditResult,
} from './types.js';

/** Version of this contract, reported by `app.info`; bump on incompatible changes. */
export const API_VERSION = 1;

/** How a response travels: JSON, or one binary image frame (see image-wire.ts). */
export type WireKind = 'json' | 'image';

/** One invoke method: its request schema, wire kind, and (type only) its response. */
export interface MethodSpec<Req extends z.ZodType, Res, W extends WireKind> {
  readonly request: Req;
  readonly wire: W;
  /** Phantom member carrying the response type; never set at run time. */
  readonly response?: Res;
}

function json<Res>() {
  return <Req extends z.ZodType>(request: Req): MethodSpec<Req, Res, 'json'> => ({
    request,
    wire: 'json',
  });
}

function image<Req extends z.ZodType>(request: Req): MethodSpec<Req, ImagePayload, 'image'> {
  return { request, wire: 'image' };
}

/** The invoke map: method name → request schema and response type. */
export const invoke = {
  /** Version, model runtime backend, installed models. */
  'app.info': json<AppInfo>()(emptyRequest),
  /** Tone-mapping operators and the adjustments, with every parameter's meta. */
  'ops.list': json<OpsList>()(emptyRequest),
  /** Display-size 8-bit RGB preview of any image file (HDR: default operator). */
  'image.preview': image(imagePreviewRequest),
  /** Tone-mapped 8-bit RGB preview of an HDR file (the decoded, downsized HDR is cached). */
  'tonemap.preview': image(tonemapPreviewRequest),
  /** The decoded HDR at display size: linear RGB f32 samples (the cache tonemap.preview uses). */
  'hdr.previewPixels': image(hdrPixelsRequest),
  /** Queues a virtual bracket job; progress and the outcome arrive as job.* events. */
  'bracket.start': json<{ readonly jobId: string }>()(bracketStartRequest),
  /** Queues a strip job: display-size frames at several EVs, each announced by bracket.frameReady. */
  'bracket.strip': json<{ readonly jobId: string }>()(bracketStripRequest),
  /** One frame of a strip job as 8-bit RGB (after its bracket.frameReady). */
  'bracket.frame': image(bracketFrameRequest),
  /** One display-size frame at any EV (the photo's latent stays cached: only N2/N3 run). */
  'bracket.render': image(bracketRenderRequest),
  /** Queues a tone-mapped export of HDR files (a batch); job.* events report it. */
  'export.tonemap': json<{ readonly jobId: string }>()(exportTonemapRequest),
  /** Cancels a queued or running job; returns its state (cancelled once the job has stopped). */
  'jobs.cancel': json<JobInfo>()(jobsCancelRequest),
  /** Every job of this session, oldest first. */
  'jobs.list': json<readonly JobInfo[]>()(emptyRequest),
  /** Imports files and folders (recursive) into the library; counts and per-file errors. */
  'library.import': json<LibraryImportResult>()(libraryImportRequest),
  /** A page of library tiles, sorted and filtered; a bracket stack is one tile. */
  'library.list': json<LibraryPage>()(libraryListRequest),
  /** One tile's details: EXIF, file facts, presence, a stack's frames. */
  'library.photo': json<LibraryPhotoDetails>()(libraryPhotoRequest),
  /** A photo's thumbnail as 8-bit RGB (works while the original is missing). */
  'library.thumbnail': image(libraryThumbnailRequest),
  /** Cameras of the library with photo counts, for the filter. */
  'library.cameras': json<readonly LibraryCamera[]>()(emptyRequest),
  /** Checks every original is on disk; missing ones are marked, never dropped. */
  'library.rescan': json<LibraryRescanResult>()(emptyRequest),
  /** Splits a stack before a frame: that frame and the later ones become a stack of their own. */
  'library.splitStack': json<LibraryStackEditResult>()(libraryStackFrameRequest),
  /** Merges photos and/or stacks into one stack (same camera and pixel size, else refused). */
  'library.mergeStack': json<LibraryStackEditResult>()(libraryMergeStackRequest),
  /** Takes a frame out of its stack (a stack left with one frame dissolves). */
  'library.removeFromStack': json<LibraryStackEditResult>()(libraryStackFrameRequest),
  /** Adds single photos to a stack (same checks as library.mergeStack). */
  'library.addToStack': json<LibraryStackEditResult>()(libraryAddToStackRequest),
  /** Queues a fine-tune; job.* and finetune.progress events report it (cancel: jobs.cancel). */
  'finetune.start': json<{ readonly jobId: string; readonly runId: string }>()(
    finetuneStartRequest,
  ),
  /** Pauses a running fine-tune at its next step (checkpointed; the job ends as paused). */
  'finetune.pause': json<{ readonly runId: string }>()(finetunePauseRequest),
  /** Queues the continuation of a paused run from its checkpoint. */
  'finetune.resume': json<{ readonly jobId: string; readonly runId: string }>()(finetuneRunRequest),
  /** Removes a paused run's checkpoint. */
  'finetune.discard': json<{ readonly runId: string }>()(finetuneRunRequest),
  /** Runs with a checkpoint folder (paused or running). */
  'finetune.runs': json<readonly FinetuneRun[]>()(emptyRequest),
  /** A before/after crop of a run's held-out region as 8-bit RGB (after a `crops` event). */
  'finetune.crop': image(finetuneCropRequest),
  /** Shipped and user models with their card facts. */
  'models.list': json<readonly ModelListItem[]>()(emptyRequest),
  /** A model's card (README.md, Markdown). */
  'models.card': json<{ readonly markdown: string }>()(modelIdRequest),
  /** Writes a model folder as a .zip. */
  'models.export': json<{ readonly file: string; readonly bytes: number }>()(modelsExportRequest),
  /** Installs a .zip written by models.export as a user model (SHA-256 verified). */
  'models.import': json<{ readonly id: string; readonly sha256: string }>()(modelsImportRequest),
  /** Deletes a user model (shipped models are refused). */
  'models.delete': json<{ readonly id: string }>()(modelIdRequest),
  /** Which model each camera uses. */
  'models.active': json<ModelsActive>()(emptyRequest),
  /** Sets (or clears, with null) the model a camera uses. */
  'models.setActive': json<ModelsActive>()(modelsSetActiveRequest),
  /** The model bracket jobs use for a photo (its camera's, else the default) and why. */
  'models.forPhoto': json<PhotoModel>()(modelsForPhotoRequest),
} as const;

/** The invoke map's type. */
export type InvokeMap = typeof invoke;
/** A method name. */
export type InvokeMethod = keyof InvokeMap;
/** What a caller passes (fields with defaults are optional). */
export type InvokeRequest<M extends InvokeMethod> = z.input<InvokeMap[M]['request']>;
/** What a handler receives after validation (defaults filled in). */
export type InvokeParsed<M extends InvokeMethod> = z.output<InvokeMap[M]['request']>;
/** What a method resolves to. */
export type InvokeResponse<M extends InvokeMethod> =
  InvokeMap[M] extends MethodSpec<z.ZodType, infer R, WireKind> ? R : never;

/** Every method name, in contract order. */
export const INVOKE_METHODS = Object.keys(invoke) as InvokeMethod[];

/** True when `name` is a method of the contract. */
export function isInvokeMethod(name: string): name is InvokeMethod {
  return Object.prototype.hasOwnProperty.call(invoke, name);
}

/** The events map: event name → payload type. */
export interface EventMap {
  /** A job was accepted (queued). */
  'job.queued': JobInfo;
  /** A queued job started running. */
  'job.started': { readonly jobId: string };
  /** Progress of a running job (at most ~10 per second per job). */
  'job.progress': JobProgressEvent;
  /** A job finished; its files are complete. */
  'job.done': { readonly jobId: string; readonly result: JobResult };
  /** A job failed; files it had started are removed. */
  'job.failed': { readonly jobId: string; readonly message: string };
  /** A job was cancelled; files it had started are removed. */
  'job.cancelled': { readonly jobId: string };
  /** A frame of a strip job is ready (fetch it with bracket.frame). */
  'bracket.frameReady': StripFrameEvent;
  /** The library changed (an import or rescan finished, a stack was edited); reload the pages. */
  'library.changed': LibraryChangedEvent;
  /** A native menu command or dropped files (Electron only; `bracketeer serve` never sends it). */
  'menu.command': MenuCommand;
  /** A training event of a fine-tune (steps at most ~10 per second). */
  'finetune.progress': FinetuneProgressEvent;
}

/** An event name. */
export type EventName = keyof EventMap;

/** Every event name. */
export const EVENT_NAMES = [
  'job.queued',
  'job.started',
  'job.progress',
  'job.done',
  'job.failed',
  'job.cancelled',
  'bracket.frameReady',
  'library.changed',
  'menu.command',
  'finetune.progress',
] as const satisfies readonly EventName[];

/** True when `name` is an event of the contract. */
export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}

/** An event as one message: `{event, payload}` (JSON text over the WebSocket). */
export type EventMessage = { [E in EventName]: { event: E; payload: EventMap[E] } }[EventName];
