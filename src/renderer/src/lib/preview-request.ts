/** Builds the preview call for a file: HDR files are tone-mapped, others previewed as they are. */
import type { InvokeRequest } from '../../../shared/api/contract.js';

/** Longest side of a preview, px (display size for a typical editor viewport). */
export const PREVIEW_MAX_SIZE = 1024;

/** One preview call: method plus request. */
export type PreviewRequest =
  | { readonly method: 'tonemap.preview'; readonly request: InvokeRequest<'tonemap.preview'> }
  | { readonly method: 'image.preview'; readonly request: InvokeRequest<'image.preview'> };

/** True for a file name the tone-mapping pipeline reads (Radiance .hdr/.pic, OpenEXR .exr). */
export function isHdrPath(path: string): boolean {
  return /\.(hdr|pic|exr)$/i.test(path);
}

/**
 * The preview request for `path` with operator `op`, its parameters and the adjustments
 * (`exposure` EV, `saturation`, `gamma`; other keys are ignored).
 */
export function previewRequest(
  path: string,
  op: string,
  params: Record<string, number>,
  adjust: Record<string, number>,
  maxSize: number = PREVIEW_MAX_SIZE,
): PreviewRequest {
  if (!isHdrPath(path)) return { method: 'image.preview', request: { path, maxSize } };
  return {
    method: 'tonemap.preview',
    request: {
      path,
      op,
      params,
      exposure: adjust.exposure ?? 0,
      saturation: adjust.saturation ?? 1,
      gamma: adjust.gamma ?? 1,
      maxSize,
    },
  };
}
