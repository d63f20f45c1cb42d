import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../../src/core/io/read-image.js';

const root = path.resolve(import.meta.dirname, '../../../../shared/data/hdr');
const exists = existsSync(root);
if (!exists)
  console.log(`[shared-data.test] ${root} is absent: skipping the real-HDR reading test`);

const files = exists
  ? readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(exr|hdr)$/i.test(f))
      .map((f) => path.join(root, f))
      .sort()
  : [];

describe.skipIf(!exists)('every file in ../shared/data/hdr', () => {
  it('every file reads to finite, non-negative, not all-black pixels', async () => {
    const times: [string, number, number][] = [];
    for (const file of files) {
      const t0 = performance.now();
      const img = await readImage(file);
      times.push([path.relative(root, file), statSync(file).size, performance.now() - t0]);
      expect(img.kind).toBe('hdr');
      expect(img.width * img.height).toBeGreaterThan(0);
      let bad = 0;
      let sum = 0;
      for (const v of img.data) {
        if (!(v >= 0 && v < Infinity)) bad++;
        sum += v;
      }
      expect(bad, path.basename(file)).toBe(0);
      expect(sum, `${path.basename(file)} is all black`).toBeGreaterThan(0);
    }
    times.sort((a, b) => b[1] - a[1]);
    console.log(
      `[shared-data.test] ${times.length} files read; largest:\n` +
        times
          .slice(0, 5)
          .map(([f, size, ms]) => `  ${f} (${(size / 1e6).toFixed(1)} MB): ${ms.toFixed(0)} ms`)
          .join('\n'),
    );
  });
});
