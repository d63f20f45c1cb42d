/**
 * Request schemas (zod) of the contract. They check shape and plain ranges; what needs the file
 * system or the engine (a path exists, an operator's parameter range) is checked by the services.
 */
import { z } from 'zod';

/** True for an absolute POSIX path, a Windows drive path (C:\… or C:/…) or a UNC path. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || /^\\\\[^\\]/.test(p);
}

/** An absolute file-system path (no NUL, at most 4096 characters). */
export const absolutePath = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'is longer than 4096 characters')
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character')
  .refine(isAbsolutePath, 'must be an absolute path');

/** Longest side of a preview, pixels: 16…8192 (default 1024). */
export const previewSize = z.number().int().min(16).max(8192);

/** A job id as `bracket.start` returns it. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'is not a job id');

/** A shipped model id: letters, digits, '.', '_', '-'. */
export const modelIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/i, 'is not a model id (letters, digits, . _ -)');

/** An EV offset of a virtual frame, [−4, +4]. */
export const evOffset = z.number().min(-4).max(4);

/** No parameters. */
export const emptyRequest = z.strictObject({});

/** `image.preview`: any image file (LDR, or HDR tone-mapped with the default operator). */
export const imagePreviewRequest = z.strictObject({
  path: absolutePath,
  maxSize: previewSize.default(1024),
});

/** `tonemap.preview`: an HDR file through an operator and the adjustments. */
export const tonemapPreviewRequest = z.strictObject({
  path: absolutePath,
  /** Operator id from `ops.list`. */
  op: z.string().regex(/^[a-z][a-z0-9]{0,31}$/, 'is not an operator id'),
  /** Operator parameters by key; missing keys take the meta default. */
  params: z.record(z.string().max(64), z.number()).default({}),
  /** EV, see the adjustments' meta for the range. */
  exposure: z.number().default(0),
  saturation: z.number().default(1),
  gamma: z.number().default(1),
  maxSize: previewSize.default(1024),
});

/** `hdr.previewPixels`: the decoded HDR at display size as linear float RGB (for GPU previews). */
export const hdrPixelsRequest = z.strictObject({
  path: absolutePath,
  /** Longest side, px (default 2048: a 1920×1080 frame stays whole). */
  maxSize: previewSize.default(2048),
});

/** `bracket.start`: a virtual bracket of one photo, written to `outDir`. */
export const bracketStartRequest = z.strictObject({
  path: absolutePath,
  evs: z
    .array(evOffset)
    .min(1)
    .max(17)
    .refine((evs) => new Set(evs).size === evs.length, 'must not repeat an EV'),
  outDir: absolutePath,
  /** 16-bit TIFF (default) or JPEG. */
  format: z.enum(['tif16', 'jpg']).default('tif16'),
  /** JPEG quality 1…100. */
  quality: z.number().int().min(1).max(100).default(95),
  /** Installed model id; default: the shipped default model. */
  model: modelIdSchema.optional(),
  /** File-name pattern of the frames: {name} {ev} {index}, no folders (see file-pattern.ts). */
  pattern: z.string().max(200).default('{name}_ev{ev}'),
  /** Also merge the frames (the photo as EV 0 when not among them) to an HDR file. */
  merge: z.enum(['exr', 'hdr']).optional(),
  /** File-name pattern of the merged HDR. */
  mergePattern: z.string().max(200).default('{name}_hdr'),
  /** Keep the frames (false: only the merged HDR is written; needs `merge`). */
  keepFrames: z.boolean().default(true),
});

/** `bracket.strip`: display-size frames of a photo at several EVs, delivered one by one. */
export const bracketStripRequest = z.strictObject({
  path: absolutePath,
  evs: z
    .array(evOffset)
    .min(1)
    .max(17)
    .refine((evs) => new Set(evs).size === evs.length, 'must not repeat an EV')
    .default([-3, -2, -1, 0, 1, 2, 3]),
  maxSize: previewSize.max(2048).default(1024),
  model: modelIdSchema.optional(),
});

/** `bracket.frame`: one frame of a strip job (after its bracket.frameReady event). */
export const bracketFrameRequest = z.strictObject({ jobId: jobIdSchema, ev: evOffset });

/** `bracket.render`: one display-size frame at any EV (the photo's latent is cached). */
export const bracketRenderRequest = z.strictObject({
  path: absolutePath,
  ev: evOffset,
  maxSize: previewSize.max(2048).default(1024),
  model: modelIdSchema.optional(),
});

/** `export.tonemap`: tone-maps HDR files (a batch) to display images in `outDir`. */
export const exportTonemapRequest = z.strictObject({
  paths: z
    .array(absolutePath)
    .min(1)
    .max(500)
    .refine((p) => new Set(p).size === p.length, 'must not repeat a file'),
  op: z.string().regex(/^[a-z][a-z0-9]{0,31}$/, 'is not an operator id'),
  params: z.record(z.string().max(64), z.number()).default({}),
  exposure: z.number().default(0),
  saturation: z.number().default(1),
  gamma: z.number().default(1),
  format: z.enum(['jpg', 'tif', 'png', 'avif']).default('jpg'),
  /** JPEG/AVIF quality 1…100. */
  quality: z.number().int().min(1).max(100).default(92),
  /** TIFF/PNG sample depth; default 16 for TIFF, 8 otherwise (JPEG/AVIF: 8 only). */
  bitDepth: z.union([z.literal(8), z.literal(16)]).optional(),
  outDir: absolutePath,
  /** File-name pattern: {name} {index}; the extension follows the format. */
  pattern: z.string().max(200).default('{name}'),
});

/** `jobs.cancel`. */
export const jobsCancelRequest = z.strictObject({ jobId: jobIdSchema });

/** `library.import`: image files and folders (searched recursively), 1…1000 paths. */
export const libraryImportRequest = z.strictObject({
  paths: z.array(absolutePath).min(1, 'must name at least one file or folder').max(1000),
});

/** A camera of the library filter (null = not recorded). */
export const libraryCamera = z.strictObject({
  make: z.string().max(256).nullable(),
  model: z.string().max(256).nullable(),
});

/** Largest page of `library.list`. */
export const LIBRARY_MAX_PAGE = 500;

/** `library.list`: one page of tiles (a bracket stack is one tile). */
export const libraryListRequest = z.strictObject({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(LIBRARY_MAX_PAGE).default(100),
  sort: z.enum(['date', 'name', 'camera']).default('date'),
  order: z.enum(['asc', 'desc']).default('asc'),
  filter: z
    .strictObject({
      camera: libraryCamera.optional(),
      /** true: only stacks; false: only single photos. */
      hasStack: z.boolean().optional(),
      /** Case-insensitive part of a file name or path. */
      text: z.string().max(256).optional(),
    })
    .default({}),
});

/** `library.photo`: a photo id from `library.list`. */
export const libraryPhotoRequest = z.strictObject({ id: z.number().int().min(1) });

/** `library.thumbnail`: a photo's thumbnail, shrunk to fit `maxSize` (16…320, default 320). */
export const libraryThumbnailRequest = z.strictObject({
  id: z.number().int().min(1),
  maxSize: z.number().int().min(16).max(320).default(320),
});

/** `library.splitStack` / `library.removeFromStack`: a frame (photo id) of a bracket stack. */
export const libraryStackFrameRequest = z.strictObject({ id: z.number().int().min(1) });

/**
 * `library.mergeStack`: 2…500 photo or tile ids; an id of a stacked photo stands for its whole
 * stack. The first stack named keeps its id and recipes.
 */
export const libraryMergeStackRequest = z.strictObject({
  ids: z.array(z.number().int().min(1)).min(2, 'must name at least two photos or stacks').max(500),
});

/** `library.addToStack`: single photos (1…500 ids) added to the stack `stackId`. */
export const libraryAddToStackRequest = z.strictObject({
  stackId: z.number().int().min(1),
  ids: z.array(z.number().int().min(1)).min(1, 'must name at least one photo').max(500),
});

/** `finetune.start`: fine-tunes a model on stacks (library tiles and/or folders or files). */
export const finetuneStartRequest = z
  .strictObject({
    /** Library tile ids of bracket stacks (their frames are used). */
    stacks: z.array(z.number().int().min(1)).max(200).default([]),
    /** Stack folders or photo files (grouped into stacks by EXIF). */
    paths: z.array(absolutePath).max(1000).default([]),
    /** Base model id (default: the default model). */
    from: modelIdSchema.optional(),
    /** Id of the new model. */
    out: modelIdSchema,
    steps: z.number().int().min(1).max(100_000).default(500),
    /** Share of each stack's width held out on the right, (0, 1). */
    holdout: z.number().gt(0).lt(1).default(0.5),
    validateEvery: z.number().int().min(1).max(10_000).default(50),
    patience: z.number().int().min(1).max(100).default(3),
    learningRate: z.number().gt(0).max(1).optional(),
    batchSize: z.number().int().min(1).max(64).optional(),
    cropSize: z.number().int().min(8).max(1024).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .optional(),
  })
  .refine((r) => r.stacks.length + r.paths.length > 0, 'must name at least one stack or path');

/** `finetune.pause`: a running fine-tuning job. */
export const finetunePauseRequest = z.strictObject({ jobId: jobIdSchema });

/** `finetune.resume` / `finetune.discard`: a paused run (its id is the new model's id). */
export const finetuneRunRequest = z.strictObject({ runId: modelIdSchema });

/** `finetune.crop`: a before/after crop of a run's held-out region (after a `crops` event). */
export const finetuneCropRequest = z.strictObject({
  runId: modelIdSchema,
  /** EV offset of the crop (−2 or +2). */
  ev: evOffset,
  /** reference: the input; base: the base model; current: the best weights so far. */
  which: z.enum(['reference', 'base', 'current']),
});

/** `models.card` / `models.delete`: a model id. */
export const modelIdRequest = z.strictObject({ id: modelIdSchema });

/** `models.export`: a model folder to a .zip file. */
export const modelsExportRequest = z.strictObject({ id: modelIdSchema, file: absolutePath });

/** `models.import`: a .zip written by models.export, installed under `id` (default: its own). */
export const modelsImportRequest = z.strictObject({
  file: absolutePath,
  id: modelIdSchema.optional(),
});

/** `models.setActive`: the model a camera uses (null: back to the default). */
export const modelsSetActiveRequest = z.strictObject({
  camera: z.string().min(1).max(256),
  model: modelIdSchema.nullable(),
});

/** `models.forPhoto`: the model used for a photo (by its camera). */
export const modelsForPhotoRequest = z.strictObject({ path: absolutePath });
