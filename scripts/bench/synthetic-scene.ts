/**
 * The benchmark's synthetic scene: a procedural scene-linear HDR image with about 20 stops of
 * range (a 14-stop log gradient, multiplicative texture at several scales, tinted regions, a
 * deep shadow band and bright light sources up to 2^10), rendered to an exposure bracket through
 * the sRGB curve. Deterministic: the same size gives the same pixels.
 */
import { createHdr, type HdrImage, type LdrImage } from '../../src/core/image/image.js';
import { srgbEncode } from '../../src/core/image/transfer.js';

/** Integer hash → [0, 1). */
function hash01(x: number, y: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

interface Light {
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly v: number;
}

/**
 * Builds the scene.
 * @param width - pixels (≥ 16)
 * @param height - pixels (≥ 16)
 * @returns linear RGB radiance in about [2^-10, 2^10]
 */
export function syntheticScene(width: number, height: number): HdrImage {
  const img = createHdr(width, height, 3);
  const d = img.data;
  const s = Math.max(width, height);
  const lights: Light[] = [
    { x: 0.82, y: 0.18, r: 0.03, v: 1024 },
    { x: 0.6, y: 0.3, r: 0.012, v: 300 },
    { x: 0.35, y: 0.22, r: 0.02, v: 120 },
    { x: 0.9, y: 0.7, r: 0.05, v: 60 },
  ].map((l) => ({ x: l.x * width, y: l.y * height, r: l.r * s, v: l.v }));
  const colX = new Float32Array(width * 3);
  for (let x = 0; x < width; x++) {
    const u = x / width;
    colX[3 * x] = 1 + 0.3 * Math.sin(2 * Math.PI * u * 3);
    colX[3 * x + 1] = 1;
    colX[3 * x + 2] = 1 + 0.3 * Math.cos(2 * Math.PI * u * 2);
  }
  for (let y = 0; y < height; y++) {
    const v = y / height;
    const rowTex = Math.sin((2 * Math.PI * y) / 37);
    const shadow = v > 0.62 && v < 0.72 ? 1 / 32 : 1;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      const u = x / width;
      // 14-stop horizontal log gradient (−9…+5 EV), gently bent vertically.
      const ev = -9 + 14 * u + 1.5 * Math.sin(Math.PI * v);
      const tex =
        1 +
        0.35 * Math.sin((2 * Math.PI * x) / 23) * rowTex +
        0.25 * Math.sin((2 * Math.PI * (x + 2 * y)) / 301) +
        0.2 * (hash01(x, y) - 0.5);
      let base = 2 ** ev * tex * shadow;
      for (let k = 0; k < lights.length; k++) {
        const l = lights[k];
        const dx = x - l.x;
        const dy = y - l.y;
        const r2 = (dx * dx + dy * dy) / (l.r * l.r);
        if (r2 < 9) base += l.v * Math.exp(-r2);
      }
      d[o] = base * colX[3 * x];
      d[o + 1] = base;
      d[o + 2] = base * colX[3 * x + 2];
    }
  }
  return img;
}

/**
 * Renders one frame of the bracket: scene × 2^ev × gain, clipped to [0, 1], sRGB-encoded and
 * quantised to 8 bits (the "camera response" is sRGB, via our srgbEncode).
 */
export function renderFrame(scene: HdrImage, ev: number, gain: number): LdrImage {
  const k = 2 ** ev * gain;
  const src = scene.data;
  const scaled = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) scaled[i] = src[i] * k;
  return srgbEncode(createHdr(scene.width, scene.height, 3, scaled), 8);
}
