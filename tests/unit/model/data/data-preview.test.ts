import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPreview } from '../../../../src/cli/commands/data-preview.js';
import { readImage, writeImage } from '../../../../src/core/io/index.js';
import { gentlePanorama, scenePanorama } from './fixtures.js';

const ctx = { json: false, signal: new AbortController().signal, onProgress: () => undefined };

describe('bracketeer data-preview', () => {
  it('writes a contact sheet and reports the split', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bracketeer-preview-'));
    try {
      await mkdir(join(dir, 'hdr'));
      await writeImage(join(dir, 'hdr', 'a.hdr'), scenePanorama(128));
      await writeImage(join(dir, 'hdr', 'b.hdr'), gentlePanorama(128));
      const out = join(dir, 'sheet.png');
      const res = await dataPreview.run(
        {
          values: { 'hdr-dir': join(dir, 'hdr'), seed: '3', rows: '3', size: '32', output: out },
          positionals: [],
        },
        ctx,
      );
      expect(res.text).toMatch(/wrote .*sheet\.png/);
      const data = res.data as { split: { train: string[]; validation: string[] } };
      expect(data.split.train.length + data.split.validation.length).toBe(2);
      const img = await readImage(out);
      expect([img.width, img.height]).toEqual([8 * 32 + 9 * 4, 3 * 32 + 4 * 4]);
      await expect(
        dataPreview.run({ values: { output: out }, positionals: [] }, ctx),
      ).rejects.toThrow(/--hdr-dir/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
