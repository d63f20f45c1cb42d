/**
 * `image.preview` and `tonemap.preview`: display-size 8-bit RGB previews. LDR photos go through
 * sharp (off the event loop); HDR files are decoded once per (file, size) into
 * {@link HdrPreviewCache} and tone-mapped on each call.
 *
 * Open: HDR decoding and tone mapping run synchronously on the calling thread (bounded by
 * `maxSize` once cached); a preview worker would keep even first decodes off the event loop.
 */
import { open } from 'node:fs/promises';
import { InvalidInputError } from '../../core/errors.js';
import { isOpenExr, isRadiance, quantise } from '../../core/io/index.js';
import {
  getOperator,
  resolveAdjustments,
  resolveParams,
  toneMap,
} from '../../core/tonemap/index.js';
import {
  ApiError,
  parseRequest,
  type ImagePayload,
  type InvokeRequest,
} from '../../shared/api/index.js';
import { rgbOf } from '../../core/tonemap/scene-stats.js';
import { HdrPreviewCache } from './hdr-preview-cache.js';
import { ldrPreview, sharpDepth } from './ldr-preview.js';
import { DEFAULT_PREVIEW_OPERATOR } from './ops-service.js';
import type { PathPolicy } from './paths.js';
import type { ServiceArea } from './service-area.js';

/** A preview with how it was made (the server reports it as a Server-Timing header). */
export type TimedPayload = ImagePayload & {
  /** Stage durations, ms, e.g. {decode: 120, tonemap: 8}. */
  readonly timing: Readonly<Record<string, number>>;
  /** Whether the decoded HDR came from the cache (HDR previews only). */
  readonly cache?: 'hit' | 'miss';
};

async function isHdrFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  const head = new Uint8Array(4);
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (isOpenExr(head) || isRadiance(head)) return true;
  const depth = await sharpDepth(file);
  return depth === 'float' || depth === 'double';
}

/** Re-throws the engine's parameter errors as ApiErrors naming the request field. */
function validateToneMapping(
  op: string,
  params: Record<string, number>,
  adjustments: { exposure: number; saturation: number; gamma: number },
): void {
  const wrap = (field: string, fn: () => unknown): void => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      const key = /"([^"]+)"/.exec(err.message)?.[1];
      const name = field === 'params' && key ? `params.${key}` : field;
      throw new ApiError('invalid', `tonemap.preview: ${name}: ${err.message}`, name);
    }
  };
  wrap('op', () => getOperator(op));
  wrap('params', () => resolveParams(getOperator(op).meta, params));
  for (const key of ['exposure', 'saturation', 'gamma'] as const) {
    wrap(key, () => resolveAdjustments({ [key]: adjustments[key] }));
  }
}

/** The preview methods. */
export class PreviewService implements ServiceArea {
  readonly name = 'previews';
  readonly handlers = {
    'image.preview': this.imagePreview.bind(this),
    'tonemap.preview': this.tonemapPreview.bind(this),
    'hdr.previewPixels': this.hdrPixels.bind(this),
  };

  constructor(
    private readonly paths: PathPolicy,
    readonly cache: HdrPreviewCache = new HdrPreviewCache(),
  ) {}

  /** Any image file at display size; HDR files tone-mapped with the default operator. */
  async imagePreview(request: InvokeRequest<'image.preview'>): Promise<TimedPayload> {
    const req = parseRequest('image.preview', request);
    const file = await this.paths.inputFile(req.path, 'path');
    if (await isHdrFile(file)) {
      return this.render(file, DEFAULT_PREVIEW_OPERATOR, {}, {}, req.maxSize);
    }
    const t0 = performance.now();
    const { width, height, data } = await ldrPreview(file, req.maxSize);
    return {
      width,
      height,
      channels: 3,
      format: 'u8',
      data,
      timing: { decode: performance.now() - t0 },
    };
  }

  /** An HDR file through an operator and the adjustments, at display size. */
  async tonemapPreview(request: InvokeRequest<'tonemap.preview'>): Promise<TimedPayload> {
    const req = parseRequest('tonemap.preview', request);
    const adjustments = { exposure: req.exposure, saturation: req.saturation, gamma: req.gamma };
    validateToneMapping(req.op, req.params, adjustments);
    const file = await this.paths.inputFile(req.path, 'path');
    return this.render(file, req.op, req.params, adjustments, req.maxSize);
  }

  /**
   * The decoded HDR of a file downsized to fit `maxSize` (the same cached image `tonemap.preview`
   * tone-maps at that size), as scene-linear RGB f32 samples for a GPU preview.
   */
  async hdrPixels(request: InvokeRequest<'hdr.previewPixels'>): Promise<TimedPayload> {
    const req = parseRequest('hdr.previewPixels', request);
    const file = await this.paths.inputFile(req.path, 'path');
    const cached = await this.cache.get(file, req.maxSize);
    const img = cached.image;
    return {
      width: img.width,
      height: img.height,
      channels: 3,
      format: 'f32',
      data: img.channels === 3 ? img.data : rgbOf(img),
      timing: { decode: cached.loadMs },
      cache: cached.hit ? 'hit' : 'miss',
    };
  }

  private async render(
    file: string,
    op: string,
    params: Record<string, number>,
    adjustments: { exposure?: number; saturation?: number; gamma?: number },
    maxSize: number,
  ): Promise<TimedPayload> {
    const cached = await this.cache.get(file, maxSize);
    const t0 = performance.now();
    const display = toneMap(cached.image, op, params, adjustments);
    const data = quantise(display.data, 255) as Uint8Array;
    return {
      width: display.width,
      height: display.height,
      channels: 3,
      format: 'u8',
      data,
      timing: { decode: cached.loadMs, tonemap: performance.now() - t0 },
      cache: cached.hit ? 'hit' : 'miss',
    };
  }
}
