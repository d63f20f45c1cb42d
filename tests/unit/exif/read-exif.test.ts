import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseExifDate, readExposureInfo } from '../../../src/core/exif/read-exif.js';
import { ImageReadError } from '../../../src/core/errors.js';
import { EXIFTOOL_AVAILABLE } from './exiftool.js';

const dir = mkdtempSync(join(tmpdir(), 'bracketeer-exif-'));
const blank = (): ReturnType<typeof sharp> =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 90, b: 90 } } });

describe('readExposureInfo', () => {
  it('reads every exposure field written by sharp (file path)', async () => {
    const file = join(dir, 'full.jpg');
    await blank()
      .jpeg()
      .withExif({
        IFD0: { Make: 'TestCam', Model: 'TC-1' },
        IFD2: {
          ExposureTime: '1/250',
          FNumber: '28/10',
          ISOSpeedRatings: '400',
          ExposureBiasValue: '-2/3',
          DateTimeOriginal: '2024:05:06 07:08:09',
          SubSecTimeOriginal: '123',
          LensModel: 'Prime 35mm',
        },
      })
      .withMetadata({ orientation: 6 })
      .toFile(file);
    const info = await readExposureInfo(file);
    expect(info.exposureTime).toBeCloseTo(1 / 250, 12);
    expect(info.fNumber).toBeCloseTo(2.8, 12);
    expect(info.iso).toBe(400);
    expect(info.exposureBias).toBeCloseTo(-2 / 3, 12);
    expect(info.make).toBe('TestCam');
    expect(info.model).toBe('TC-1');
    expect(info.lensModel).toBe('Prime 35mm');
    expect(info.orientation).toBe(6);
    expect(info.dateTimeOriginal).toBe('2024-05-06T07:08:09.123');
    expect(info.captureTimeMs).toBe(Date.UTC(2024, 4, 6, 7, 8, 9, 123));
    expect(info.missing).toEqual([]);
  });

  it('lists missing fields and never guesses them (buffer input)', async () => {
    const buf = await blank()
      .jpeg()
      .withExif({ IFD0: { Make: 'OnlyMake' }, IFD2: { ExposureTime: '2' } })
      .toBuffer();
    const info = await readExposureInfo(buf);
    expect(info.make).toBe('OnlyMake');
    expect(info.exposureTime).toBe(2);
    for (const f of ['fNumber', 'iso', 'exposureBias', 'model', 'lensModel', 'dateTimeOriginal']) {
      expect(info.missing).toContain(f);
      expect(info[f as keyof typeof info]).toBeUndefined();
    }
    expect(info.captureTimeMs).toBeUndefined();
  });

  it('a file without EXIF gives everything undefined and listed missing', async () => {
    for (const fmt of ['png', 'jpeg'] as const) {
      const file = join(dir, `plain.${fmt}`);
      await blank().toFormat(fmt).toFile(file);
      const info = await readExposureInfo(file);
      expect(info.missing).toHaveLength(9);
      expect(info.exposureTime).toBeUndefined();
      expect(info.orientation).toBeUndefined();
    }
  });

  it('an unreadable file is an ImageReadError naming the file', async () => {
    const garbage = join(dir, 'garbage.jpg');
    writeFileSync(garbage, 'this is not an image at all');
    await expect(readExposureInfo(garbage)).rejects.toThrow(ImageReadError);
    await expect(readExposureInfo(join(dir, 'absent.jpg'))).rejects.toThrow(/absent\.jpg/);
  });

  it.skipIf(!EXIFTOOL_AVAILABLE)('reads OffsetTimeOriginal written by exiftool', async () => {
    const file = join(dir, 'offset.jpg');
    await blank().jpeg().toFile(file);
    execFileSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-DateTimeOriginal=2023:12:31 23:59:58',
      '-SubSecTimeOriginal=5',
      '-OffsetTimeOriginal=+02:00',
      '-ExposureTime=1/8000',
      file,
    ]);
    const info = await readExposureInfo(file);
    expect(info.exposureTime).toBeCloseTo(1 / 8000, 12);
    expect(info.dateTimeOriginal).toBe('2023-12-31T23:59:58.5+02:00');
    expect(info.captureTimeMs).toBe(Date.UTC(2023, 11, 31, 21, 59, 58, 500));
  });
});

describe('parseExifDate', () => {
  it('parses sub-seconds and offsets, rejects blank dates', () => {
    expect(parseExifDate('2020:01:02 03:04:05')).toEqual({
      iso: '2020-01-02T03:04:05',
      ms: Date.UTC(2020, 0, 2, 3, 4, 5),
    });
    expect(parseExifDate('2020:01:02 03:04:05', '07', '-05:30')?.ms).toBe(
      Date.UTC(2020, 0, 2, 8, 34, 5, 70),
    );
    expect(parseExifDate('0000:00:00 00:00:00')).toBeUndefined();
    expect(parseExifDate('    :  :     :  :  ')).toBeUndefined();
  });
});
