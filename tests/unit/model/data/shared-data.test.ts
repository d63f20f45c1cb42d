/** Checks on the real data in ../shared/data/hdr; skipped (with a message) where it is absent. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHdrDataset } from '../../../../src/core/model/data/hdr-source.js';

const HDR_DIR = resolve(process.cwd(), '../shared/data/hdr');
const present = existsSync(HDR_DIR);
if (!present)
  console.warn(`shared-data.test: ${HDR_DIR} not found — skipping the real-data split checks`);

describe.skipIf(!present)('real HDR data split (../shared/data/hdr)', () => {
  it('no scene in both splits; known drei/pmndrs copies grouped; all images usable', async () => {
    const ds = await loadHdrDataset(HDR_DIR, 1);
    const { split } = ds;
    const val = new Set(split.validation);
    for (const g of split.groups) {
      const n = g.filter((p) => val.has(p)).length;
      expect(
        n === 0 || n === g.length,
        `group split across train/validation: ${g.join(', ')}`,
      ).toBe(true);
    }
    const grouped = (a: string, b: string): boolean =>
      split.groups.some((g) => g.includes(a) && g.includes(b));
    // drei preset maps and their pmndrs downscaled copies (by content, names differ)
    expect(grouped('polyhaven-drei/potsdamer_platz_1k.hdr', 'polyhaven-pmndrs/city.exr')).toBe(
      true,
    );
    expect(grouped('polyhaven-drei/lebombo_1k.hdr', 'polyhaven-pmndrs/apartment.exr')).toBe(true);
    expect(grouped('polyhaven-drei/st_fagans_interior_1k.hdr', 'polyhaven-pmndrs/lobby.exr')).toBe(
      true,
    );
    expect(split.train.length).toBeGreaterThan(30);
    expect(split.validation.length).toBeGreaterThan(3);
    expect(split.excluded.every((e) => e.relPath.includes('TestImages_'))).toBe(true);
    for (const s of [...ds.train, ...ds.validation]) {
      expect(s.image.channels).toBe(3);
      let bad = 0;
      for (const v of s.image.data) if (!(v >= 0 && v <= 65504)) bad++;
      expect(bad).toBe(0);
    }
  });
});
