import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../../../src/core/io/index.js';
import {
  renderContactSheet,
  writeContactSheet,
} from '../../../../src/core/model/data/contact-sheet.js';
import { synthStack } from '../../../../src/core/model/data/synth-stack.js';
import { scenePanorama, source } from './fixtures.js';

describe('contact sheet', () => {
  it('lays out rows × (EV frames + reference) with gaps and copies frames verbatim', async () => {
    const src = source('a.hdr', scenePanorama(128));
    const stacks = [
      await synthStack(src, 1, 0, { size: 16 }),
      await synthStack(src, 1, 1, { size: 16 }),
    ];
    const gap = 2;
    const sheet = renderContactSheet(stacks, { gap, background: 0.5 });
    expect(sheet.width).toBe(8 * 16 + 9 * gap);
    expect(sheet.height).toBe(2 * 16 + 3 * gap);
    expect(sheet.data[0]).toBe(0.5);
    // row 1, EV column 5 (index 4), pixel (3, 7)
    const x = gap + 4 * (16 + gap) + 3;
    const y = gap + 1 * (16 + gap) + 7;
    const f = stacks[1].frames[4];
    for (let c = 0; c < 3; c++)
      expect(sheet.data[3 * (y * sheet.width + x) + c]).toBe(f[3 * (7 * 16 + 3) + c]);
    const ref = sheet.data.subarray(
      3 * (gap * sheet.width + gap + 7 * 18),
      3 * (gap * sheet.width + gap + 7 * 18 + 16),
    );
    expect(ref.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(renderContactSheet(stacks, { groundTruth: false, gap }).width).toBe(7 * 16 + 8 * gap);
    expect(() => renderContactSheet([])).toThrow();
  });

  it('writes a PNG of that size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bracketeer-sheet-'));
    try {
      const src = source('a.hdr', scenePanorama(128));
      const stacks = [await synthStack(src, 2, 0, { size: 16 })];
      const file = join(dir, 'sheet.png');
      await writeContactSheet(file, stacks, { gap: 4 });
      const back = await readImage(file);
      expect([back.width, back.height]).toEqual([8 * 16 + 9 * 4, 16 + 8]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
