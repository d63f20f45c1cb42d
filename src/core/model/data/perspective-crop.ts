/**
 * Crops for synthetic training data: rectilinear (pinhole) views of equirectangular maps, and
 * plain scaled crops of ordinary photographs. Output: interleaved linear RGB Float32Array
 * (row-major, top row first: NHWC-ready).
 *
 * Equirectangular convention: column x (pixel centre x + 0.5) is longitude
 * φ = 2π·(x + 0.5)/W − π (φ = 0 at the image centre, increasing to the right); row y is latitude
 * θ = π/2 − π·(y + 0.5)/H (+90° at the top). A view with yaw φ0 and pitch θ0 looks at (φ0, θ0);
 * positive roll turns the camera counter-clockwise (the scene turns clockwise in the crop).
 */
import { InvalidInputError } from '../../errors.js';
import type { HdrImage } from '../../image/image.js';
import { uniform, type Rng } from '../../camera/rng.js';

/** A pinhole view into a panorama; angles in degrees. */
export interface PerspectiveView {
  /** Longitude of the view centre, degrees (any value; wraps). */
  readonly yaw: number;
  /** Latitude of the view centre, degrees in [−90, 90]. */
  readonly pitch: number;
  /** Rotation about the optical axis, degrees. */
  readonly roll: number;
  /** Horizontal field of view, degrees in (0, 180). */
  readonly hfov: number;
}

/** Sampling ranges for {@link randomView}, degrees. */
export interface ViewRanges {
  /** Largest |pitch| (default 30). */
  readonly maxPitch?: number;
  /** Largest |roll| (default 5). */
  readonly maxRoll?: number;
  /** Horizontal FOV range [min, max] (default [50, 90]). */
  readonly hfov?: readonly [number, number];
}

/** Draws a view: yaw uniform in [−180, 180), pitch, roll and FOV uniform in their ranges. */
export function randomView(rng: Rng, ranges: ViewRanges = {}): PerspectiveView {
  const mp = ranges.maxPitch ?? 30;
  const mr = ranges.maxRoll ?? 5;
  const [f0, f1] = ranges.hfov ?? [50, 90];
  return {
    yaw: uniform(rng, -180, 180),
    pitch: uniform(rng, -mp, mp),
    roll: uniform(rng, -mr, mr),
    hfov: uniform(rng, f0, f1),
  };
}

/** Bilinear sample with longitude wrap-around and clamped latitude; adds w·rgb into acc[o..o+2]. */
function addBilinearWrap(
  src: Float32Array,
  w: number,
  h: number,
  fx: number,
  fy: number,
  weight: number,
  acc: Float32Array,
  o: number,
): void {
  const x0f = Math.floor(fx);
  const tx = fx - x0f;
  let x0 = x0f % w;
  if (x0 < 0) x0 += w;
  const x1 = x0 + 1 === w ? 0 : x0 + 1;
  let y0 = Math.floor(fy);
  let ty = fy - y0;
  let y1 = y0 + 1;
  if (y0 < 0) {
    y0 = 0;
    y1 = 0;
    ty = 0;
  } else if (y1 > h - 1) {
    y0 = h - 1;
    y1 = h - 1;
    ty = 0;
  }
  const a = (1 - tx) * (1 - ty) * weight;
  const b = tx * (1 - ty) * weight;
  const c = (1 - tx) * ty * weight;
  const d = tx * ty * weight;
  const i00 = 3 * (y0 * w + x0);
  const i01 = 3 * (y0 * w + x1);
  const i10 = 3 * (y1 * w + x0);
  const i11 = 3 * (y1 * w + x1);
  acc[o] += a * src[i00] + b * src[i01] + c * src[i10] + d * src[i11];
  acc[o + 1] += a * src[i00 + 1] + b * src[i01 + 1] + c * src[i10 + 1] + d * src[i11 + 1];
  acc[o + 2] += a * src[i00 + 2] + b * src[i01 + 2] + c * src[i10 + 2] + d * src[i11 + 2];
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidInputError(`crop size must be positive integers, got ${width}×${height}`);
  }
}

/**
 * Renders a rectilinear view of an equirectangular map by bilinear sampling (longitude wraps),
 * with s×s supersampling where one output pixel spans more than ~1.5 source pixels
 * (s = ceil(span), at most 4), so downscaled views do not alias.
 * @param pano - 3-channel equirectangular map (2:1)
 * @param view - where to look, degrees
 * @param width - output pixels; `height` likewise (vertical FOV follows from the aspect)
 * @returns interleaved linear RGB, width·height·3
 */
export function perspectiveCrop(
  pano: HdrImage,
  view: PerspectiveView,
  width: number,
  height: number,
): Float32Array {
  checkSize(width, height);
  if (pano.channels !== 3) throw new InvalidInputError('perspectiveCrop needs a 3-channel map');
  if (!(view.hfov > 0 && view.hfov < 180)) {
    throw new InvalidInputError(`hfov must be in (0, 180) degrees, got ${view.hfov}`);
  }
  const { width: W, height: H, data: src } = pano;
  const rad = Math.PI / 180;
  const tanX = Math.tan((view.hfov * rad) / 2);
  const tanY = (tanX * height) / width;
  const cy = Math.cos(view.yaw * rad);
  const sy = Math.sin(view.yaw * rad);
  const cp = Math.cos(view.pitch * rad);
  const sp = Math.sin(view.pitch * rad);
  const cr = Math.cos(view.roll * rad);
  const sr = Math.sin(view.roll * rad);
  // Source pixels per output pixel at the centre: (2·tanX/width) radians × W/(2π).
  const span = ((2 * tanX) / width) * (W / (2 * Math.PI));
  const ss = span > 1.5 ? Math.min(4, Math.ceil(span)) : 1;
  const wgt = 1 / (ss * ss);
  const out = new Float32Array(width * height * 3);
  const kx = W / (2 * Math.PI);
  const ky = H / Math.PI;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const o = 3 * (j * width + i);
      for (let sj = 0; sj < ss; sj++) {
        const yn = -((2 * (j + (sj + 0.5) / ss)) / height - 1) * tanY; // up positive
        for (let si = 0; si < ss; si++) {
          const xn = ((2 * (i + (si + 0.5) / ss)) / width - 1) * tanX;
          // roll about z, pitch about x (up), yaw about y
          const x1 = cr * xn - sr * yn;
          const y1 = sr * xn + cr * yn;
          const y2 = y1 * cp + sp;
          const z2 = -y1 * sp + cp;
          const x3 = x1 * cy + z2 * sy;
          const z3 = -x1 * sy + z2 * cy;
          const lon = Math.atan2(x3, z3);
          const lat = Math.atan2(y2, Math.sqrt(x3 * x3 + z3 * z3));
          const fx = (lon + Math.PI) * kx - 0.5;
          const fy = (Math.PI / 2 - lat) * ky - 0.5;
          addBilinearWrap(src, W, H, fx, fy, wgt, out, o);
        }
      }
    }
  }
  return out;
}

/** A plain axis-aligned crop window, source pixels (may be fractional). */
export interface CropWindow {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/**
 * Draws a square crop window for a non-panoramic photo: side = scale·min(W, H) with scale uniform
 * in [minScale, 1] (default 0.35), position uniform inside the image.
 */
export function randomWindow(rng: Rng, width: number, height: number, minScale = 0.35): CropWindow {
  const size = Math.min(width, height) * uniform(rng, Math.min(1, minScale), 1);
  return { x: uniform(rng, 0, width - size), y: uniform(rng, 0, height - size), size };
}

/**
 * Resamples a square window of a photo to width×height with box-averaged bilinear samples
 * (s×s per output pixel, s = ceil(source span), at most 4); edges clamp.
 * @returns interleaved linear RGB, width·height·3
 */
export function windowCrop(
  img: HdrImage,
  win: CropWindow,
  width: number,
  height: number,
): Float32Array {
  checkSize(width, height);
  if (img.channels !== 3) throw new InvalidInputError('windowCrop needs a 3-channel image');
  const { width: W, height: H, data: src } = img;
  const stepX = win.size / width;
  const stepY = win.size / height;
  const ss = Math.max(1, Math.min(4, Math.ceil(Math.max(stepX, stepY) - 1e-9)));
  const wgt = 1 / (ss * ss);
  const out = new Float32Array(width * height * 3);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const o = 3 * (j * width + i);
      for (let sj = 0; sj < ss; sj++) {
        let fy = win.y + (j + (sj + 0.5) / ss) * stepY - 0.5;
        fy = fy < 0 ? 0 : fy > H - 1 ? H - 1 : fy;
        const y0 = Math.min(H - 2, Math.floor(fy));
        const y0c = Math.max(0, y0);
        const y1 = Math.min(H - 1, y0c + 1);
        const ty = H > 1 ? fy - y0c : 0;
        for (let si = 0; si < ss; si++) {
          let fx = win.x + (i + (si + 0.5) / ss) * stepX - 0.5;
          fx = fx < 0 ? 0 : fx > W - 1 ? W - 1 : fx;
          const x0 = Math.max(0, Math.min(W - 2, Math.floor(fx)));
          const x1 = Math.min(W - 1, x0 + 1);
          const tx = W > 1 ? fx - x0 : 0;
          const a = (1 - tx) * (1 - ty) * wgt;
          const b = tx * (1 - ty) * wgt;
          const c = (1 - tx) * ty * wgt;
          const d = tx * ty * wgt;
          const i00 = 3 * (y0c * W + x0);
          const i01 = 3 * (y0c * W + x1);
          const i10 = 3 * (y1 * W + x0);
          const i11 = 3 * (y1 * W + x1);
          for (let ch = 0; ch < 3; ch++) {
            out[o + ch] +=
              a * src[i00 + ch] + b * src[i01 + ch] + c * src[i10 + ch] + d * src[i11 + ch];
          }
        }
      }
    }
  }
  return out;
}

/** What {@link randomCrop} cut, for diagnostics and the contact sheet. */
export type CropInfo =
  ({ readonly kind: 'perspective' } & PerspectiveView) | ({ readonly kind: 'window' } & CropWindow);

/**
 * A random crop of either kind: a perspective view for a panorama, a scaled window otherwise.
 * @param panoramic - true for equirectangular maps (see isPanoramic in hdr-source)
 */
export function randomCrop(
  img: HdrImage,
  panoramic: boolean,
  rng: Rng,
  width: number,
  height: number,
  ranges: ViewRanges & { readonly minScale?: number } = {},
): { readonly data: Float32Array; readonly info: CropInfo } {
  if (panoramic) {
    const view = randomView(rng, ranges);
    return {
      data: perspectiveCrop(img, view, width, height),
      info: { kind: 'perspective', ...view },
    };
  }
  const win = randomWindow(rng, img.width, img.height, ranges.minScale);
  return { data: windowCrop(img, win, width, height), info: { kind: 'window', ...win } };
}
