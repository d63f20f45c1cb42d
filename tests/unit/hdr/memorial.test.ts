/**
 * Real bracket: Debevec's Memorial Church (16 frames, 512×768) from /work/shared/data, merged with
 * an sRGB-like response. Skipped when the data set is not present. Read with sharp directly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { mergeDebevec } from '../../../src/core/hdr/merge-debevec.js';
import { mergeRobertson } from '../../../src/core/hdr/merge-robertson.js';
import { fuseMertens } from '../../../src/core/hdr/fuse-mertens.js';
import { alignMtb } from '../../../src/core/hdr/align-mtb.js';
import { createLdr, type LdrImage } from '../../../src/core/image/image.js';
import type { InverseResponse } from '../../../src/core/camera/response.js';

const DIR = '/work/shared/data/brackets/memorial';
const present = existsSync(join(DIR, 'shutter_times.txt'));
if (!present) console.warn(`memorial.test: ${DIR} not found, skipping the real-bracket test`);

function srgbResponse(): InverseResponse {
  const c = new Float32Array(256);
  for (let z = 0; z < 256; z++) {
    const v = Math.max(z, 0.5) / 255;
    c[z] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }
  return { inverse: [c, c, c], source: 'srgb' };
}

async function load(): Promise<{ frames: LdrImage[]; times: number[] }> {
  const times = readFileSync(join(DIR, 'shutter_times.txt'), 'utf8')
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => {
      const [a, b] = s.split('/').map(Number);
      return b === undefined ? a : a / b;
    });
  const frames = await Promise.all(
    times.map(async (_t, i) => {
      const file = join(DIR, `memorial${String(61 + i).padStart(4, '0')}.png`);
      const { data, info } = await sharp(file)
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const f = new Float32Array(data.length);
      for (let k = 0; k < data.length; k++) f[k] = data[k] / 255;
      return createLdr(info.width, info.height, 3, f);
    }),
  );
  return { frames, times };
}

function stops(data: Float32Array): number {
  const lum: number[] = [];
  for (let i = 0; i < data.length; i += 3)
    lum.push(0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]);
  lum.sort((a, b) => a - b);
  const lo = lum[Math.floor(lum.length * 0.001)];
  const hi = lum[Math.floor(lum.length * 0.999)];
  return Math.log2(hi / lo);
}

describe.skipIf(!present)('memorial church bracket', () => {
  it('merges to a finite HDR spanning more than 10 stops (Debevec and Robertson)', async () => {
    const { frames, times } = await load();
    expect(frames).toHaveLength(16);
    for (const merge of [mergeDebevec, mergeRobertson]) {
      const hdr = merge(frames, times, srgbResponse());
      for (const v of hdr.data)
        if (!(Number.isFinite(v) && v >= 0)) throw new Error(`bad value ${v}`);
      expect(stops(hdr.data)).toBeGreaterThan(10);
    }
  });

  it('fuses to a display image and finds the (tripod) frames already aligned', async () => {
    const { frames } = await load();
    const fused = fuseMertens(frames.slice(4, 12));
    for (const v of fused.data) if (!(v >= 0 && v <= 1)) throw new Error(`bad value ${v}`);
    const { shifts } = alignMtb(frames.slice(6, 10));
    for (const [dx, dy] of shifts) expect(Math.abs(dx) + Math.abs(dy)).toBeLessThanOrEqual(2);
  });
});
