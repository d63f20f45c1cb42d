/**
 * Stack detection from real files: JPEGs written by sharp with EXIF (camera, lens, shutter,
 * capture time with sub-seconds), read back with exifr, grouped by `bracketeer stacks`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli } from './cli-helpers.js';

let dir = '';

interface Shot {
  name: string;
  model: string;
  time: string;
  subSec: string;
  shutter?: string;
}

async function writeShot(s: Shot, width = 48, height = 32): Promise<void> {
  const exif: Record<string, string> = {
    DateTimeOriginal: s.time,
    SubSecTimeOriginal: s.subSec,
    FNumber: '8/1',
    ISOSpeedRatings: '200',
  };
  if (s.shutter) exif.ExposureTime = s.shutter;
  const jpeg = await sharp({ create: { width, height, channels: 3, background: '#707070' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'Fujifilm', Model: s.model }, IFD2: exif })
    .toBuffer();
  await writeFile(join(dir, s.name), jpeg);
}

beforeAll(async () => {
  await buildCli();
  dir = await mkdtemp(join(tmpdir(), 'bracketeer-stacks-'));
  const t = '2026:05:06 10:00:00';
  const t1 = '2026:05:06 10:00:01';
  // Camera A: a 3-frame bracket within one second; camera B: a 2-frame bracket at the same
  // time (interleaved file names); C: a frame without ExposureTime; a corrupt file.
  await writeShot({ name: '01.jpg', model: 'A', time: t, subSec: '100', shutter: '1/125' });
  await writeShot({ name: '02.jpg', model: 'B', time: t, subSec: '150', shutter: '1/60' });
  await writeShot({ name: '03.jpg', model: 'A', time: t, subSec: '600', shutter: '1/500' });
  await writeShot({ name: '04.jpg', model: 'B', time: t1, subSec: '050', shutter: '1/15' });
  await writeShot({ name: '05.jpg', model: 'A', time: t1, subSec: '000', shutter: '1/30' });
  await writeShot({ name: '06.jpg', model: 'A', time: t1, subSec: '300' });
  await writeFile(join(dir, '07.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bracketeer stacks', () => {
  it('groups interleaved cameras, orders by exposure and reports what it left out', async () => {
    const r = await cli(['stacks', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as {
      stacks: { camera: string; frames: { file: string; relativeEv: number }[] }[];
      excluded: { file: string; reason: string }[];
    };
    const names = data.stacks.map((s) => s.frames.map((f) => f.file.slice(-6)));
    expect(names).toEqual([
      ['03.jpg', '01.jpg', '05.jpg'],
      ['02.jpg', '04.jpg'],
    ]);
    // 1/500 → 1/125 → 1/30 s: 2 and 4.06 stops; 1/60 → 1/15 s: 2 stops.
    expect(data.stacks[0].frames.map((f) => f.relativeEv)).toEqual([
      0,
      expect.closeTo(2, 6),
      expect.closeTo(Math.log2(500 / 30), 6),
    ]);
    expect(data.stacks[1].frames[1].relativeEv).toBeCloseTo(2, 6);
    expect(data.stacks[0].camera).toBe('Fujifilm A');
    const excluded = Object.fromEntries(data.excluded.map((e) => [e.file.slice(-6), e.reason]));
    expect(Object.keys(excluded).sort()).toEqual(['06.jpg', '07.jpg']);
    expect(excluded['06.jpg']).toMatch(/ExposureTime/);
  }, 60_000);

  it('splits the bracket when --gap is shorter than the time between its frames', async () => {
    const r = await cli(['stacks', dir, '--gap', '0.45', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as { stacks: unknown[]; singles: string[] };
    // A: 0.1 → 0.6 s (0.5 s gap) splits; 0.6 → 1.0 s (0.4 s) stays: one stack 03+05, 01 single.
    expect(data.stacks).toHaveLength(1);
    expect(data.singles.map((f) => f.slice(-6)).sort()).toEqual(['01.jpg', '02.jpg', '04.jpg']);
  }, 60_000);
});
