/** Markdown table, JSON text and side-by-side PNGs of evaluation results. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLdr } from '../../../../src/core/image/image.js';
import type { AggregateResult, StackResult } from '../../../../src/core/model/eval/results.js';
import {
  markdownTable,
  resultToJson,
  writeSideBySides,
} from '../../../../src/core/model/eval/report.js';

const s = (psnr: number, ssim: number) => ({ psnr, ssim });

const RESULT: StackResult = {
  kind: 'stack',
  name: 'memorial',
  width: 512,
  height: 768,
  region: null,
  referenceFile: 'memorial0067.png',
  referenceTime: 0.5,
  methods: ['naive', 'oracle'],
  rows: [
    {
      offset: -3,
      ev: -3,
      file: 'a.png',
      scores: { naive: s(19.004, 0.52771), oracle: s(20.4, 0.9) },
    },
    { offset: -2, ev: null, file: null, scores: null },
    { offset: -1, ev: -1, file: 'c.png', scores: { naive: s(24.5, 0.8), oracle: s(Infinity, 1) } },
    { offset: 1, ev: 1, file: 'd.png', scores: { naive: s(26, 0.85), oracle: s(27, 0.86) } },
    { offset: 2, ev: 2.0704, file: 'e.png', scores: { naive: s(NaN, 0.8), oracle: s(25, 0.83) } },
    { offset: 3, ev: 3, file: 'f.png', scores: { naive: s(20, 0.75), oracle: s(22.85, 0.75) } },
  ],
  missing: [-2],
  hdr: {
    reference: 'real-bracket',
    methods: {
      naive: { muPsnr: 26.851, pu21Psnr: 31.36, scale: 1 },
      oracle: { muPsnr: 27.2, pu21Psnr: 31.26, scale: 1.01 },
    },
    realBracket: null,
  },
};

describe('markdownTable', () => {
  it('has one row per offset, PSNR/SSIM columns per method and the HDR rows', () => {
    const md = markdownTable(RESULT);
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows[0]).toBe(
      '| Offset | naive PSNR (dB) | naive SSIM | oracle PSNR (dB) | oracle SSIM |',
    );
    expect(rows[1]).toBe('|:--|--:|--:|--:|--:|');
    expect(rows.slice(2).map((r) => r.split('|')[1].trim())).toEqual([
      '-3 EV',
      '-2 EV',
      '-1 EV',
      '+1 EV',
      '+2 EV (+2.07)',
      '+3 EV',
      'HDR PSNR-μ',
      'HDR PU21-PSNR',
    ]);
    expect(rows[2]).toBe('| -3 EV | 19.00 | 0.5277 | 20.40 | 0.9000 |');
    expect(rows[3]).toBe('| -2 EV | missing |  | missing |  |');
    expect(rows[4]).toBe('| -1 EV | 24.50 | 0.8000 | ∞ | 1.0000 |');
    expect(rows[6]).toContain('| NaN |');
    expect(rows[8]).toBe('| HDR PSNR-μ | 26.85 |  | 27.20 |  |');
    expect(rows[9]).toBe('| HDR PU21-PSNR | 31.36 |  | 31.26 |  |');
    expect(md).toContain('memorial0067.png (0.5 s)');
    expect(md).toContain('real bracket merged with the same response');
  });

  it('labels aggregate rows with their stack counts and notes the ground-truth ceiling', () => {
    const agg: AggregateResult = {
      kind: 'aggregate',
      name: 'held-out',
      count: 2,
      stacks: ['a', 'b'],
      methods: ['m'],
      rows: [{ offset: 1, n: 2, scores: { m: s(30, 0.9) } }],
      hdr: {
        reference: 'ground-truth',
        n: 2,
        methods: { m: { muPsnr: 40, pu21Psnr: 41 } },
        realBracket: { muPsnr: 60, pu21Psnr: 61 },
      },
      skipped: [{ name: 'c', reason: 'flat' }],
    };
    const md = markdownTable(agg);
    expect(md).toContain('| +1 EV (n=2) | 30.00 | 0.9000 |');
    expect(md).toContain('mean over 2 stack(s)');
    expect(md).toContain('Real bracket vs ground truth: PSNR-μ 60.00 dB, PU21-PSNR 61.00 dB.');
    expect(md).toContain('Skipped: c (flat)');
  });
});

describe('resultToJson', () => {
  it('round-trips through JSON with non-finite scores as strings', () => {
    const back = JSON.parse(resultToJson(RESULT)) as StackResult;
    expect(back.rows[2].scores!.oracle.psnr).toBe('Infinity');
    expect(back.rows[4].scores!.naive.psnr).toBe('NaN');
    expect(back.rows[0].scores!.naive.psnr).toBe(19.004);
    expect(back.hdr!.methods.oracle.scale).toBe(1.01);
    expect(back.rows[1].scores).toBeNull();
  });
});

describe('writeSideBySides', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bracketeer-sbs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes reference | methods | real per offset, 4 px apart on white', async () => {
    const flat = (v: number) => createLdr(5, 3, 3, new Float32Array(45).fill(v));
    const files = await writeSideBySides(join(dir, 'out'), {
      name: 'my stack',
      reference: flat(0.2),
      offsets: [-1, 2],
      real: [flat(0.8), flat(0.6)],
      predicted: { a: [flat(0.4), flat(0.4)], b: [flat(0), flat(1)] },
    });
    expect(files.map((f) => basename(f))).toEqual(['my_stack_evm1.png', 'my_stack_evp2.png']);
    const { data, info } = await sharp(files[0]).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([4 * 5 + 3 * 4, 3, 3]);
    const at = (x: number, y: number) => data[(y * info.width + x) * 3];
    // columns: reference 0…4, gap, a 9…13, gap, b 18…22, gap, real 27…31
    expect([at(0, 0), at(5, 1), at(9, 2), at(18, 0), at(31, 2)]).toEqual([
      Math.round(0.2 * 255),
      255,
      Math.round(0.4 * 255),
      0,
      Math.round(0.8 * 255),
    ]);
  });
});
