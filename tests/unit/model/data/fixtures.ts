/** Generated HDR fixtures for the data tests (no shared data needed). */
import { createHdr, type HdrImage } from '../../../../src/core/image/image.js';
import type { HdrSource } from '../../../../src/core/model/data/hdr-source.js';

/**
 * Equirectangular map whose colour is the unit view direction + 1 (R = x + 1, G = y + 1,
 * B = z + 1; x right at longitude +90°, y up, z forward at longitude 0), with the module's
 * convention: longitude φ = 2π(x + 0.5)/W − π, latitude θ = π/2 − π(y + 0.5)/H.
 */
export function directionMap(width: number): HdrImage {
  const height = width / 2;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const lat = Math.PI / 2 - (Math.PI * (y + 0.5)) / height;
    for (let x = 0; x < width; x++) {
      const lon = (2 * Math.PI * (x + 0.5)) / width - Math.PI;
      const i = 3 * (y * width + x);
      data[i] = Math.cos(lat) * Math.sin(lon) + 1;
      data[i + 1] = Math.sin(lat) + 1;
      data[i + 2] = Math.cos(lat) * Math.cos(lon) + 1;
    }
  }
  return createHdr(width, height, 3, data);
}

/** Decodes a direction-map colour back to a unit vector. */
export function directionOf(data: Float32Array, index: number): [number, number, number] {
  const x = data[3 * index] - 1;
  const y = data[3 * index + 1] - 1;
  const z = data[3 * index + 2] - 1;
  const n = Math.hypot(x, y, z);
  return [x / n, y / n, z / n];
}

/**
 * A smooth, textured "scene" panorama: bright sky band with a sun, darker ground, sinusoidal
 * texture; dynamic range ≈ 10 stops. `phase` changes the texture (a different scene).
 */
export function scenePanorama(width: number, phase = 0): HdrImage {
  const height = width / 2;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const tex = 1 + 0.5 * Math.sin(2 * Math.PI * (7 * u + phase)) * Math.cos(2 * Math.PI * 5 * v);
      const sky = v < 0.5 ? 2 + 6 * (0.5 - v) : 0.05 + 0.4 * (v - 0.5);
      const du = u - 0.3 - phase * 0.1;
      const sun = 500 * Math.exp(-(du * du + (v - 0.25) ** 2) / 0.0004);
      const l = sky * tex + sun;
      const i = 3 * (y * width + x);
      data[i] = l * 1.1;
      data[i + 1] = l;
      data[i + 2] = l * (v < 0.5 ? 1.3 : 0.7);
    }
  }
  return createHdr(width, height, 3, data);
}

/** A low-dynamic-range textured map (values 0.1 … 1), for tests that need no clipping. */
export function gentlePanorama(width: number): HdrImage {
  const height = width / 2;
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t =
        0.55 + 0.45 * Math.sin((2 * Math.PI * x) / width) * Math.cos((Math.PI * y) / height);
      const i = 3 * (y * width + x);
      data[i] = t;
      data[i + 1] = t * 0.9 + 0.05;
      data[i + 2] = t * 0.8 + 0.1;
    }
  }
  return createHdr(width, height, 3, data);
}

/** Wraps an image as a source. */
export function source(relPath: string, image: HdrImage, panoramic = true): HdrSource {
  return { relPath, image, panoramic };
}
