/**
 * The baselines on the real Memorial bracket (../shared/data/brackets/memorial, reference
 * memorial0067.png): the yardsticks the model must beat. Skipped, with a message, if absent.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  baselinePredictors,
  evaluateStack,
  loadRealStack,
  markdownTable,
  realEvalStack,
} from '../../../../src/core/model/eval/index.js';

const DIR = resolve(process.cwd(), '../shared/data/brackets/memorial');
const present = existsSync(DIR);
if (!present) console.warn(`memorial.test: ${DIR} not found — skipping the Memorial baselines`);

describe.skipIf(!present)('baselines on Memorial (reference memorial0067.png)', () => {
  it('finds every offset and scores naive and oracle', async () => {
    const real = await loadRealStack(DIR, { reference: 'memorial0067.png' });
    // shutter_times.txt: 0061 = 32 s … 0067 = 1/2 s … 0076 = 1/1024 s, halving each frame.
    expect(real.times[real.referenceIndex]).toBe(0.5);
    expect(real.missing).toEqual([]);
    expect(real.matches.map((m) => real.files[m.index].slice(-8))).toEqual([
      '0070.png',
      '0069.png',
      '0068.png',
      '0066.png',
      '0065.png',
      '0064.png',
    ]);
    const stack = realEvalStack(real);
    const result = await evaluateStack(stack, baselinePredictors(stack));
    console.log(markdownTable(result));
    for (const row of result.rows) {
      for (const m of ['naive', 'oracle']) {
        const s = row.scores?.[m];
        expect(s, `${m} at ${row.offset} EV`).toBeDefined();
        expect(s!.psnr).toBeGreaterThan(10);
        expect(s!.psnr).toBeLessThan(60);
        expect(s!.ssim).toBeGreaterThan(0.3);
        expect(s!.ssim).toBeLessThanOrEqual(1);
      }
    }
    expect(result.hdr?.reference).toBe('real-bracket');
    expect(Number.isFinite(result.hdr?.methods.oracle.muPsnr)).toBe(true);
  });
});
