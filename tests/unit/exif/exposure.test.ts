import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  ev100,
  parseShutterTime,
  parseShutterTimes,
  relativeExposure,
  resolveExposureTimes,
} from '../../../src/core/exif/exposure.js';
import { InvalidInputError } from '../../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'bracketeer-times-'));

describe('ev100 and relativeExposure', () => {
  it('matches the definition: f/1, 1 s, ISO 100 is 0; less light is higher EV', () => {
    expect(ev100(1, 1, 100)).toBe(0);
    expect(ev100(1 / 125, 16, 100)).toBeCloseTo(Math.log2(256 * 125), 12);
    expect(ev100(0.5, 1, 100)).toBe(1);
    expect(ev100(1, 1, 200)).toBe(-1);
  });
  it('names the missing field', () => {
    expect(() => ev100(1, undefined, 100)).toThrow(/fNumber is missing/);
    expect(() => ev100(0, 2, 100)).toThrow(InvalidInputError);
  });
  it('relative exposure is the ratio of t·ISO/N²', () => {
    const r = relativeExposure(
      { exposureTime: 1 / 100, fNumber: 4, iso: 100 },
      { exposureTime: 1 / 50, fNumber: 2.8284271247461903, iso: 400 },
    );
    expect(r.factor).toBeCloseTo(2 * 2 * 4, 10);
    expect(r.stops).toBeCloseTo(4, 10);
    expect(() =>
      relativeExposure({ exposureTime: 1, fNumber: 2 }, { exposureTime: 1, fNumber: 2, iso: 1 }),
    ).toThrow(/frame a: iso is missing/);
  });
});

describe('shutter times', () => {
  it('parses numbers, fractions, comments and separators', () => {
    expect(parseShutterTime('1/1024')).toBe(1 / 1024);
    expect(parseShutterTime('0.5')).toBe(0.5);
    expect(parseShutterTime('2s')).toBe(2);
    expect(parseShutterTime('-1')).toBeUndefined();
    expect(parseShutterTime('1/0')).toBeUndefined();
    expect(parseShutterTimes('# times\n32 16\r\n1/2 # half\n\n0.25,1/1024\n')).toEqual([
      32,
      16,
      0.5,
      0.25,
      1 / 1024,
    ]);
    expect(() => parseShutterTimes('1\nabc\n')).toThrow(/line 2: "abc"/);
    expect(() => parseShutterTimes('# nothing\n')).toThrow(InvalidInputError);
  });

  const memorial = join(__dirname, '../../../../shared/data/brackets/memorial/shutter_times.txt');
  it.skipIf(!existsSync(memorial))(
    'reads the Memorial Church list: 32 s … 1/1024 s by halves',
    () => {
      const t = parseShutterTimes(readFileSync(memorial, 'utf8'));
      expect(t).toEqual(Array.from({ length: 16 }, (_, i) => 32 / 2 ** i));
    },
  );
});

describe('resolveExposureTimes', () => {
  const files = ['a.jpg', 'b.jpg'].map((f) => join(dir, f));

  it('prefers explicit times, then a times file', async () => {
    expect(await resolveExposureTimes(files, { times: [1, 0.5] })).toEqual([1, 0.5]);
    const tf = join(dir, 'times.txt');
    writeFileSync(tf, '1/4\n1/8\n');
    expect(await resolveExposureTimes(files, { timesFile: tf })).toEqual([0.25, 0.125]);
    await expect(resolveExposureTimes(files, { times: [1] })).rejects.toThrow(
      /1 exposure times for 2/,
    );
    await expect(resolveExposureTimes(files, { times: [1, 0] })).rejects.toThrow(InvalidInputError);
  });

  it('falls back to EXIF and lists every file lacking ExposureTime', async () => {
    const blank = (): ReturnType<typeof sharp> =>
      sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).jpeg();
    const [a, b, c] = ['x1.jpg', 'x2.jpg', 'x3.jpg'].map((f) => join(dir, f));
    await blank()
      .withExif({ IFD2: { ExposureTime: '1/30' } })
      .toFile(a);
    await blank()
      .withExif({ IFD2: { ExposureTime: '1/60' } })
      .toFile(b);
    await blank().toFile(c);
    const t = await resolveExposureTimes([a, b]);
    expect(t[0]).toBeCloseTo(1 / 30, 12);
    expect(t[1]).toBeCloseTo(1 / 60, 12);
    await expect(resolveExposureTimes([a, c, b])).rejects.toThrow(/1 file\(s\): .*x3\.jpg/);
  });
});
