/**
 * A virtual exposure bracket written to disk: one photo in, one file per EV out (16-bit TIFF or
 * JPEG, each with the photo's EXIF, its ExposureBiasValue and ExposureTime set for the frame),
 * and optionally the bracket merged to HDR (.exr/.hdr). Frames are written atomically as soon
 * as each is rendered; the photo itself is only read.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readSourceExif, virtualFrameExifParts } from '../../exif/write-exif.js';
import type { InverseResponse } from '../../camera/response.js';
import { ImageWriteError, InvalidInputError } from '../../errors.js';
import { validateResponse } from '../../hdr/bracket.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { readLdrCodes } from '../../io/read-image.js';
import { writeImage } from '../../io/write-image.js';
import { encodePixels, quantise } from '../../io/write-ldr.js';
import { subProgress, type JobOptions } from '../../job.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { generateBracket } from '../inference/tiled-bracket.js';
import type { TileOptions } from '../inference/tile-plan.js';
import { DEFAULT_MEMORY_BUDGET, planFlops } from '../inference/tile-plan.js';
import {
  calibrateOnCodes,
  mergeCodeFrames,
  photoCodes8,
  toCodes,
  type CodeFrame,
} from './stream-merge.js';

/** Output format of the frames. */
export type BracketFormat = 'tif16' | 'jpg';

/** Options of {@link writeVirtualBracket}. */
export interface VirtualBracketOptions extends JobOptions, TileOptions {
  /** folder for the frames (created if missing) */
  readonly outDir: string;
  readonly format?: BracketFormat;
  /** JPEG quality 1…100 (default 95) */
  readonly quality?: number;
  /** also merge the bracket (with the photo as EV 0) to this .exr or .hdr file */
  readonly mergeTo?: string;
  /**
   * inverse response for the merge (a camera profile's, see profileResponse); when absent the
   * response is calibrated (Debevec) on the virtual frames themselves
   */
  readonly response?: InverseResponse;
}

/** Which inverse response the HDR merge used. */
export interface MergeResponseUsed {
  /** `given`: {@link VirtualBracketOptions.response}; `calibrated`: fitted on the frames */
  readonly kind: 'given' | 'calibrated';
  /** the response's source, e.g. "profile:Canon EOS 5D" or "debevec" */
  readonly source: string;
  /** its fit residual, when known */
  readonly residual?: number;
}

/** What was written. */
export interface VirtualBracketResult {
  readonly input: { readonly file: string; readonly width: number; readonly height: number };
  readonly frames: readonly { readonly ev: number; readonly file: string }[];
  readonly merged?: string;
  /** the response the merge used (only with `mergeTo`) */
  readonly mergeResponse?: MergeResponseUsed;
  /** wall time of the model (both passes), ms */
  readonly renderMs: number;
  readonly totalMs: number;
  /** analytic convolution FLOPs of the model run */
  readonly flops: number;
}

/**
 * Resident bytes per photo pixel while a frame is written, on top of the bracket's own: the
 * encoded file, at most about its raw size (a 16-bit TIFF: 6 bytes per pixel; 24-MP deflate
 * TIFFs measured 49–86 MB, JPEGs at quality 95 about 0.2 bytes per pixel).
 */
const FRAME_WRITE_BYTES_PER_PIXEL: Record<BracketFormat, number> = { tif16: 6, jpg: 1 };
/** Resident bytes of the encoder itself while it writes a frame (sharp; measured 20–55 MB). */
const FRAME_WRITE_BYTES = 60e6;

/** "+2.00", "-0.50", "+0.00" — the EV part of frame file names. */
export function evLabel(ev: number): string {
  return `${ev < 0 ? '-' : '+'}${Math.abs(ev).toFixed(2)}`;
}

/** File name of a frame: `<stem>_ev+2.00.tif`. */
export function frameFileName(stem: string, ev: number, format: BracketFormat): string {
  return `${stem}_ev${evLabel(ev)}.${format === 'jpg' ? 'jpg' : 'tif'}`;
}

/**
 * Renders the bracket of `inputFile` at `evs` with `model` and writes it.
 * @param evs - EV offsets in [−4, +4] (distinct)
 * @throws ImageReadError for an unreadable photo; InvalidInputError for an HDR input, bad EVs or
 *   an output that would overwrite the photo; ImageWriteError for unwritable outputs;
 *   CancelledError when the signal aborts (frames already written stay, each complete)
 */
export async function writeVirtualBracket(
  model: MultiExposureModel,
  inputFile: string,
  evs: readonly number[],
  options: VirtualBracketOptions,
): Promise<VirtualBracketResult> {
  const t0 = performance.now();
  const format = options.format ?? 'tif16';
  if (new Set(evs).size !== evs.length) throw new InvalidInputError('EV list has duplicates');
  if (evs.length === 0) throw new InvalidInputError('EV list is empty');
  if (options.mergeTo && !/\.(exr|hdr)$/i.test(options.mergeTo)) {
    throw new InvalidInputError(`${options.mergeTo}: the merged HDR must be .exr or .hdr`);
  }
  if (options.response) validateResponse(options.response, 3);
  // the photo as its 8/16-bit codes: a 24-MP photo holds 72 or 144 MB instead of 288
  const image = await readLdrCodes(inputFile, { signal: options.signal });
  if (image.kind !== 'ldr-codes') {
    throw new InvalidInputError(
      `${inputFile}: is an HDR image; a virtual bracket starts from a photo (JPEG, PNG, TIFF…)`,
    );
  }
  const exif = await readSourceExif(inputFile);
  const stem = path.basename(inputFile).replace(/\.[^.]+$/, '');
  const inputAbs = path.resolve(inputFile);
  const files = evs.map((ev) => path.join(options.outDir, frameFileName(stem, ev, format)));
  for (const f of [...files, ...(options.mergeTo ? [options.mergeTo] : [])]) {
    if (path.resolve(f) === inputAbs) {
      throw new InvalidInputError(`${f}: output would overwrite the input photo`);
    }
  }
  try {
    await mkdir(options.outDir, { recursive: true });
  } catch (err) {
    throw new ImageWriteError(
      options.outDir,
      `cannot create the folder: ${(err as Error).message}`,
    );
  }

  const { width, height } = image;
  const baseTime = exif?.exposureTime ? exif.exposureTime[0] / exif.exposureTime[1] : 1;
  const codeFrames: CodeFrame[] = [];
  if (options.mergeTo && !evs.includes(0)) {
    codeFrames.push({ codes: photoCodes8(image), time: baseTime });
  }
  const renderShare = options.mergeTo ? 0.85 : 1;
  const tRender = performance.now();
  let writeMs = 0;
  let flops = 0;
  await generateBracket(model, image, evs, {
    onPlan: (plan) => {
      flops = planFlops(model, plan, evs);
    },
    tileSize: options.tileSize,
    // the frame being written (encoded file, the encoder's buffers) shares the budget
    memoryBudget:
      options.memoryBudget ??
      DEFAULT_MEMORY_BUDGET -
        FRAME_WRITE_BYTES -
        FRAME_WRITE_BYTES_PER_PIXEL[format] * width * height,
    overlap: options.overlap,
    margin: options.margin,
    batchSize: options.batchSize,
    signal: options.signal,
    onProgress: subProgress(options.onProgress, 0, renderShare),
    onFrame: async (ev, frame, index) => {
      const tw = performance.now();
      // the merge's 8-bit codes first: the frame is then quantised over its own bytes (the
      // bracket refills the buffer for the next EV), which saves a 24-MP photo 72 MB (JPEG) or
      // 144 MB (16-bit TIFF) of peak memory
      if (options.mergeTo) codeFrames.push({ codes: toCodes(frame), time: baseTime * 2 ** ev });
      const jpeg = format === 'jpg';
      const pixels = quantise(frame, jpeg ? 255 : 65535, true);
      // JPEG frames with the standard Huffman tables: the same pixels, 5 % more bytes, and a
      // 24-MP frame encodes 10× faster without libjpeg's whole-image buffer (write-ldr.ts)
      const encoded = await encodePixels(
        pixels,
        { width, height, channels: 3 },
        jpeg ? 'jpeg' : 'tiff',
        jpeg ? { quality: options.quality ?? 95, optimiseCoding: false } : {},
      );
      const file = files[index];
      // a TIFF's parts are views on `encoded` (no second copy of 50–90 MB at 24 MP)
      const parts = virtualFrameExifParts(encoded, jpeg ? 'jpeg' : 'tiff', exif, ev, {
        outputName: file,
      });
      await writeFileAtomic(file, parts);
      writeMs += performance.now() - tw;
    },
  });
  const renderMs = performance.now() - tRender - writeMs;

  let merged: string | undefined;
  let mergeResponse: MergeResponseUsed | undefined;
  if (options.mergeTo) {
    const response =
      options.response ??
      calibrateOnCodes(codeFrames, width, height, undefined, { signal: options.signal });
    mergeResponse = {
      kind: options.response ? 'given' : 'calibrated',
      source: response.source,
      ...(response.residual !== undefined ? { residual: response.residual } : {}),
    };
    const hdr = mergeCodeFrames(codeFrames, width, height, response, 128, {
      signal: options.signal,
      onProgress: subProgress(options.onProgress, renderShare, 1 - renderShare),
    });
    codeFrames.length = 0;
    await writeImage(options.mergeTo, hdr, { signal: options.signal });
    merged = options.mergeTo;
  }
  return {
    input: { file: inputFile, width, height },
    frames: evs.map((ev, i) => ({ ev, file: files[i] })),
    ...(merged ? { merged } : {}),
    ...(mergeResponse ? { mergeResponse } : {}),
    renderMs,
    totalMs: performance.now() - t0,
    flops,
  };
}
