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
});

/** `jobs.cancel`. */
export const jobsCancelRequest = z.strictObject({ jobId: jobIdSchema });
