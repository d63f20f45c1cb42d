import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/camera/rng.js';
import { InvalidInputError } from '../../../../src/core/errors.js';
import { createHdr } from '../../../../src/core/image/image.js';
import {
  perspectiveCrop,
  randomCrop,
  randomView,
  windowCrop,
} from '../../../../src/core/model/data/perspective-crop.js';
import { directionMap, directionOf } from './fixtures.js';

const D = Math.PI / 180;
const map = directionMap(720);

function expected(yaw: number, pitch: number): [number, number, number] {
  return [
    Math.cos(pitch * D) * Math.sin(yaw * D),
    Math.sin(pitch * D),
    Math.cos(pitch * D) * Math.cos(yaw * D),
  ];
}

function angleDeg(a: number[], b: number[]): number {
  const dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  return Math.acos(Math.min(1, Math.max(-1, dot))) / D;
}

describe('perspectiveCrop', () => {
  it('the centre pixel looks at the requested yaw/pitch (incl. across the ±180° seam)', () => {
    const n = 33;
    const centre = 16 * n + 16;
    for (const [yaw, pitch, roll] of [
      [0, 0, 0],
      [45, 20, 3],
      [-120, -30, -5],
      [180, 10, 0],
      [179.9, 0, 0],
      [-90, 60, 2],
    ]) {
      const crop = perspectiveCrop(map, { yaw, pitch, roll, hfov: 60 }, n, n);
      expect(angleDeg(directionOf(crop, centre), expected(yaw, pitch))).toBeLessThan(0.3);
    }
  });

  it('the edge pixels sit half the field of view from the centre', () => {
    const n = 65;
    for (const hfov of [50, 90]) {
      const crop = perspectiveCrop(map, { yaw: 30, pitch: 10, roll: 0, hfov }, n, n);
      const c = directionOf(crop, 32 * n + 32);
      const left = directionOf(crop, 32 * n);
      const right = directionOf(crop, 32 * n + n - 1);
      // pixel centre at (1 − 1/n)·tan(hfov/2) from the axis
      const want = Math.atan((1 - 1 / n) * Math.tan((hfov / 2) * D)) / D;
      expect(angleDeg(c, left)).toBeCloseTo(want, 0);
      expect(angleDeg(c, right)).toBeCloseTo(want, 0);
    }
  });

  it('positive roll turns the camera counter-clockwise: the right edge looks up', () => {
    const n = 33;
    const crop = perspectiveCrop(map, { yaw: 0, pitch: 0, roll: 90, hfov: 60 }, n, n);
    const right = directionOf(crop, 16 * n + n - 1);
    expect(right[1]).toBeGreaterThan(0.45); // sin(≈29°)
    expect(Math.abs(right[0])).toBeLessThan(0.02);
    const level = perspectiveCrop(map, { yaw: 0, pitch: 0, roll: 0, hfov: 60 }, n, n);
    expect(directionOf(level, 16 * n + n - 1)[0]).toBeGreaterThan(0.45); // x: to the right
    expect(directionOf(level, 0)[1]).toBeGreaterThan(0.3); // top row looks up
  });

  it('is continuous across the longitude seam (no wrap artefacts)', () => {
    const n = 48;
    const crop = perspectiveCrop(map, { yaw: 180, pitch: 0, roll: 0, hfov: 80 }, n, n);
    let maxJump = 0;
    for (let y = 0; y < n; y++) {
      for (let x = 1; x < n; x++) {
        const a = 3 * (y * n + x);
        for (let c = 0; c < 3; c++)
          maxJump = Math.max(maxJump, Math.abs(crop[a + c] - crop[a - 3 + c]));
      }
    }
    expect(maxJump).toBeLessThan(0.05); // neighbours are < 2° apart
  });

  it('rejects bad sizes and fields of view', () => {
    expect(() => perspectiveCrop(map, { yaw: 0, pitch: 0, roll: 0, hfov: 180 }, 8, 8)).toThrow(
      InvalidInputError,
    );
    expect(() => perspectiveCrop(map, { yaw: 0, pitch: 0, roll: 0, hfov: 60 }, 0, 8)).toThrow(
      InvalidInputError,
    );
  });
});

describe('windowCrop', () => {
  const W = 100;
  const H = 80;
  const ramp = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      ramp[3 * (y * W + x)] = x;
      ramp[3 * (y * W + x) + 1] = y;
      ramp[3 * (y * W + x) + 2] = 1;
    }
  }
  const img = createHdr(W, H, 3, ramp);

  it('copies a window 1:1 and averages a 2× downscale exactly (linear ramp)', () => {
    const same = windowCrop(img, { x: 10, y: 20, size: 32 }, 32, 32);
    expect(same[3 * (5 * 32 + 7)]).toBeCloseTo(17, 4);
    expect(same[3 * (5 * 32 + 7) + 1]).toBeCloseTo(25, 4);
    const half = windowCrop(img, { x: 10, y: 20, size: 64 }, 32, 32);
    // output pixel i covers source [10 + 2i, 12 + 2i): mean position 10 + 2i + 0.5
    expect(half[3 * (5 * 32 + 7)]).toBeCloseTo(24.5, 4);
    expect(half[3 * (5 * 32 + 7) + 1]).toBeCloseTo(30.5, 4);
    expect(half[3 * (5 * 32 + 7) + 2]).toBeCloseTo(1, 5);
  });
});

describe('random views and crops', () => {
  it('draws within the ranges and is deterministic', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      const v = randomView(rng, { maxPitch: 30, maxRoll: 5, hfov: [50, 90] });
      expect(Math.abs(v.pitch)).toBeLessThanOrEqual(30);
      expect(Math.abs(v.roll)).toBeLessThanOrEqual(5);
      expect(v.hfov).toBeGreaterThanOrEqual(50);
      expect(v.hfov).toBeLessThanOrEqual(90);
    }
    const a = randomCrop(map, true, mulberry32(9), 16, 16);
    const b = randomCrop(map, true, mulberry32(9), 16, 16);
    expect(a.info.kind).toBe('perspective');
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    const w = randomCrop(createHdr(300, 200), false, mulberry32(9), 16, 16);
    expect(w.info.kind).toBe('window');
    if (w.info.kind === 'window') {
      expect(w.info.size).toBeGreaterThanOrEqual(0.35 * 200 - 1e-9);
      expect(w.info.x + w.info.size).toBeLessThanOrEqual(300);
      expect(w.info.y + w.info.size).toBeLessThanOrEqual(200);
    }
  });
});
