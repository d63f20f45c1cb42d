/** Loading a bracket folder: frame listing, exposure times, reference choice, offset matching. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../src/core/errors.js';
import { matchOffsets, pickReference } from '../../../../src/core/model/eval/offsets.js';
import { listBracketFiles, loadRealStack } from '../../../../src/core/model/eval/real-stack.js';

/** Frame names in natural order, their times (shutter_times.txt order) and grey levels. */
const NAMES = [
  'shot5.png',
  'shot6.png',
  'shot7.png',
  'shot8.png',
  'shot9.png',
  'shot10.png',
  'shot11.JPG',
  'shot12.tif',
];
const TIMES_TXT = '1/32\n1/8\n1/4\n0.5\n1\n1.05\n2.1\n8\n';

let dir: string;

async function writeFrame(file: string, level: number): Promise<void> {
  const px = Buffer.alloc(8 * 6 * 3, level);
  let p = sharp(px, { raw: { width: 8, height: 6, channels: 3 } });
  if (file.endsWith('.JPG')) p = p.jpeg({ quality: 100 });
  else if (file.endsWith('.tif')) p = p.tiff();
  else p = p.png();
  await p.toFile(file);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bracketeer-eval-'));
  await Promise.all(NAMES.map((n, i) => writeFrame(join(dir, n), 20 + 25 * i)));
  await writeFrame(join(dir, '.hidden.png'), 0);
  await writeFile(join(dir, 'notes.md'), 'not a frame');
  await writeFile(join(dir, 'shutter_times.txt'), TIMES_TXT);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('offset matching', () => {
  const times = [1 / 32, 1 / 8, 1 / 4, 0.5, 1, 1.05, 2.1, 8];

  it('picks the median exposure (lower median) or the named file', () => {
    const files = NAMES.map((n) => join('/x', n));
    expect(pickReference(files, times)).toBe(3);
    expect(pickReference(files, times, 'shot9.png')).toBe(4);
    expect(pickReference(files, times, '/x/shot10.png')).toBe(5);
    expect(() => pickReference(files, times, 'nope.png')).toThrow(/nope\.png.*shot5\.png/);
  });

  it('takes the closest frame within 0.1 stop, with its measured offset', () => {
    const { matches, missing } = matchOffsets(times, 3);
    expect(matches.map((m) => [m.offset, m.index])).toEqual([
      [-2, 1],
      [-1, 2],
      [1, 4], // 1 s is exact; 1.05 s (+1.07) is also within 0.1 but farther
      [2, 6],
    ]);
    expect(matches[3].ev).toBeCloseTo(Math.log2(4.2), 12);
    expect(missing).toEqual([-3, 3]); // 1/32 s is −4 EV, 8 s is +4 EV
    expect(matchOffsets(times, 3, [1], 0.05).matches.map((m) => m.index)).toEqual([4]);
    expect(matchOffsets(times, 3, [2], 0.05).missing).toEqual([2]);
  });
});

describe('loadRealStack', () => {
  it('lists image frames in natural order, skipping other and hidden files', async () => {
    const files = await listBracketFiles(dir);
    expect(files.map((f) => basename(f))).toEqual(NAMES);
  });

  it('reads frames and shutter_times.txt, picks the median reference and matches offsets', async () => {
    const s = await loadRealStack(dir);
    expect(s.times).toEqual([1 / 32, 1 / 8, 1 / 4, 0.5, 1, 1.05, 2.1, 8]);
    expect(basename(s.files[s.referenceIndex])).toBe('shot8.png');
    // the frames are the files' pixels (grey 20 + 25·i)
    expect(s.frames[s.referenceIndex].data[0] * 255).toBeCloseTo(95, 5);
    expect(s.frames[7].data[5] * 255).toBeCloseTo(195, 5);
    expect(s.matches.map((m) => [m.offset, basename(s.files[m.index])])).toEqual([
      [-2, 'shot6.png'],
      [-1, 'shot7.png'],
      [1, 'shot9.png'],
      [2, 'shot11.JPG'],
    ]);
    expect(s.matches[3].ev).toBeCloseTo(Math.log2(2.1 / 0.5), 12);
    expect(s.missing).toEqual([-3, 3]);
  });

  it('uses a given reference and offsets', async () => {
    const s = await loadRealStack(dir, { reference: 'shot9.png', offsets: [-3, -1, 1, 2, 3] });
    expect(s.referenceIndex).toBe(4);
    expect(s.matches.map((m) => [m.offset, basename(s.files[m.index])])).toEqual([
      [-3, 'shot6.png'],
      [-1, 'shot8.png'],
      [1, 'shot11.JPG'],
      [3, 'shot12.tif'],
    ]);
    expect(s.matches[2].ev).toBeCloseTo(Math.log2(2.1), 12);
    expect(s.missing).toEqual([2]);
  });

  it('takes explicit times over the folder file and rejects bad inputs', async () => {
    const s = await loadRealStack(dir, { times: [1, 2, 4, 8, 16, 32, 64, 128] });
    expect(s.referenceIndex).toBe(3);
    expect(s.matches.map((m) => m.offset)).toEqual([-3, -2, -1, 1, 2, 3]);
    await expect(loadRealStack(dir, { times: [1, 2] })).rejects.toThrow(InvalidInputError);
    await expect(loadRealStack(dir, { reference: 'missing.png' })).rejects.toThrow(/missing\.png/);
    await expect(loadRealStack(join(dir, 'nope'))).rejects.toThrow(/cannot list/);
  });

  it('falls back to EXIF and says which files lack it', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'bracketeer-eval-bare-'));
    try {
      await writeFrame(join(bare, 'a.png'), 10);
      await writeFrame(join(bare, 'b.png'), 20);
      await expect(loadRealStack(bare)).rejects.toThrow(/No ExposureTime.*a\.png/);
      await expect(loadRealStack(join(bare, 'a.png'))).rejects.toThrow(InvalidInputError);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});
