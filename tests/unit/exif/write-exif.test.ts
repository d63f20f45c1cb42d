import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageReadError, ImageWriteError, InvalidInputError } from '../../../src/core/errors.js';
import { readExposureInfo } from '../../../src/core/exif/read-exif.js';
import {
  addVirtualFrameExif,
  readSourceExif,
  virtualFrameExifParts,
  withVirtualFrameExif,
  type FrameFormat,
} from '../../../src/core/exif/write-exif.js';
import { EXIFTOOL_AVAILABLE } from './exiftool.js';

const dir = mkdtempSync(join(tmpdir(), 'bracketeer-write-exif-'));
const W = 48;
const H = 32;

const exiftool = EXIFTOOL_AVAILABLE;

/** A 16-bit RGB gradient, the kind of frame the bracket generator encodes. */
function frame16(): Uint16Array {
  const px = new Uint16Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      px[i] = (x * 65535) / (W - 1);
      px[i + 1] = (y * 65535) / (H - 1);
      px[i + 2] = ((x + y) * 997) % 65536;
    }
  }
  return px;
}

/** Plain encode, as src/core/io/write-ldr.ts does it (no metadata). */
async function encode(format: FrameFormat): Promise<Buffer> {
  const px = frame16();
  const raw = { width: W, height: H, channels: 3 as const, depth: 'ushort' as const };
  const p = sharp(Buffer.from(px.buffer), { raw }).toColourspace('rgb16');
  if (format === 'tiff')
    return p.tiff({ compression: 'deflate', predictor: 'horizontal' }).toBuffer();
  return p.toColourspace('srgb').jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
}

async function decoded(bytes: Uint8Array, depth: 'ushort' | 'uchar'): Promise<Buffer> {
  return sharp(bytes).raw({ depth }).toBuffer();
}

type Tags = Record<string, unknown>;
async function tagsOf(bytes: Uint8Array): Promise<Tags> {
  const t = await exifr.parse(Buffer.from(bytes), {
    tiff: true,
    exif: true,
    gps: true,
    ifd1: true,
    interop: true,
    makerNote: false,
    reviveValues: false,
    translateValues: false,
    mergeOutput: false,
  });
  return (t ?? {}) as Tags;
}

/** exiftool -v3 shows every rational as "(num/den)": returns them by tag name. */
function rawRationals(file: string): Map<string, string> {
  const out = execFileSync('exiftool', ['-v3', file]).toString();
  const found = new Map<string, string>();
  for (const m of out.matchAll(/\b(\w+) = [^\n]*\((-?\d+\/\d+)\)/g)) found.set(m[1], m[2]);
  return found;
}

/** All warnings and errors of `exiftool -validate`. */
function validate(file: string): string[] {
  const out = execFileSync('exiftool', ['-a', '-s', '-validate', '-warning', '-error', file]);
  return [...out.toString().matchAll(/^(?:Warning|Error)\s*: (.*)$/gm)].map((m) => m[1]);
}

function exiftoolJson(file: string, ...args: string[]): Tags {
  const out = execFileSync('exiftool', ['-json', '-n', '-a', '-G1', ...args, file]).toString();
  return (JSON.parse(out) as Tags[])[0];
}

const SOURCE_EXIF = {
  IFD0: { Make: 'TestCam', Model: 'TC-1 Mark II', Software: 'FW 1.2', Artist: 'A. Tester' },
  IFD2: {
    ExposureTime: '1/60',
    FNumber: '8/1',
    ISOSpeedRatings: '200',
    ExposureBiasValue: '0/1',
    DateTimeOriginal: '2024:05:06 07:08:09',
    SubSecTimeOriginal: '042',
    FocalLength: '50/1',
    LensModel: 'Prime 50mm',
  },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 30/1 0/1' },
};

let plainJpeg: Buffer;
let plainTiff: Buffer;
let sourceFile: string;

beforeAll(async () => {
  plainJpeg = await encode('jpeg');
  plainTiff = await encode('tiff');
  sourceFile = join(dir, 'source.jpg');
  await sharp({ create: { width: 64, height: 40, channels: 3, background: '#808080' } })
    .jpeg()
    .withExif(SOURCE_EXIF)
    .withMetadata({ orientation: 6 })
    .toFile(sourceFile);
});

const EVS = [-2, 1, 0.5, 1 / 3] as const;
const NOTES: Record<string, string> = {
  '-2': 'Bracketeer virtual exposure EV -2.00',
  '1': 'Bracketeer virtual exposure EV +1.00',
  '0.5': 'Bracketeer virtual exposure EV +0.50',
  [String(1 / 3)]: 'Bracketeer virtual exposure EV +0.33',
};
// Exact rationals a priori: bias = 0 + ev; time = 1/60 · 2^ev (integer ev only).
const BIAS_RATIONAL: Record<string, string> = {
  '-2': '-2/1',
  '1': '1/1',
  '0.5': '1/2',
  [String(1 / 3)]: '1/3',
};
const TIME_RATIONAL: Record<string, string> = { '-2': '1/240', '1': '1/30' };

describe('withVirtualFrameExif', () => {
  for (const format of ['jpeg', 'tiff'] as const) {
    for (const ev of EVS) {
      it(`${format} frame at EV ${ev.toFixed(3)}: exposure rewritten, the rest carried`, async () => {
        const plain = format === 'jpeg' ? plainJpeg : plainTiff;
        const out = await withVirtualFrameExif(plain, format, sourceFile, ev);
        const t = await tagsOf(out);
        const ifd0 = t.ifd0 as Tags;
        const exif = t.exif as Tags;
        expect(exif.ExposureBiasValue ?? exif.ExposureCompensation).toBeCloseTo(ev, 12);
        expect((exif.ExposureTime as number) / ((1 / 60) * 2 ** ev)).toBeCloseTo(1, 12);
        expect(ifd0.Make).toBe('TestCam');
        expect(ifd0.Model).toBe('TC-1 Mark II');
        expect(ifd0.Software).toBe('FW 1.2');
        expect(ifd0.Artist).toBe('A. Tester');
        expect(ifd0.Orientation).toBe(1);
        expect(ifd0.ImageDescription).toBe(NOTES[String(ev)]);
        expect(exif.FNumber).toBe(8);
        expect(exif.ISO ?? exif.ISOSpeedRatings).toBe(200);
        expect(exif.DateTimeOriginal).toBe('2024:05:06 07:08:09');
        expect(exif.SubSecTimeOriginal).toBe('042');
        expect(exif.FocalLength).toBe(50);
        expect(exif.LensModel).toBe('Prime 50mm');
        // PixelX/YDimension = frame size (not the source's 64×40), JPEG only (not allowed in TIFF).
        expect(exif.ExifImageWidth).toBe(format === 'jpeg' ? W : undefined);
        expect(exif.ExifImageHeight).toBe(format === 'jpeg' ? H : undefined);
        expect(new TextDecoder().decode(exif.ExifVersion as Uint8Array)).toBe('0232'); // the source's 0210 is too old for LensModel
        expect(exif.ColorSpace).toBe(1);
        expect((t.gps as Tags).GPSLatitude).toEqual([48, 30, 0]);
        expect(t.ifd1).toBeUndefined();
        // The engine's own reader (used by `bracketeer merge`) agrees.
        const info = await readExposureInfo(out);
        expect(info.exposureBias).toBeCloseTo(ev, 12);
        expect(info.exposureTime! / ((1 / 60) * 2 ** ev)).toBeCloseTo(1, 12);
        expect(info.orientation).toBe(1);
        expect(info.dateTimeOriginal).toBe('2024-05-06T07:08:09.042');

        if (format === 'tiff') {
          const meta = await sharp(out).metadata();
          expect(meta.depth).toBe('ushort');
          expect((await decoded(out, 'ushort')).equals(await decoded(plain, 'ushort'))).toBe(true);
        } else {
          // Not re-encoded: same decoded pixels and the same entropy-coded bytes.
          expect((await decoded(out, 'uchar')).equals(await decoded(plain, 'uchar'))).toBe(true);
          const sos = plain.indexOf(Buffer.from([0xff, 0xda]));
          const tail = plain.length - sos;
          expect(Buffer.from(out.subarray(out.length - tail)).equals(plain.subarray(sos))).toBe(
            true,
          );
        }

        if (exiftool) {
          const file = join(dir, `frame-${ev.toFixed(3)}.${format === 'jpeg' ? 'jpg' : 'tif'}`);
          writeFileSync(file, out);
          const raw = rawRationals(file);
          expect(raw.get('ExposureCompensation')).toBe(BIAS_RATIONAL[String(ev)]);
          if (TIME_RATIONAL[String(ev)] !== undefined) {
            expect(raw.get('ExposureTime')).toBe(TIME_RATIONAL[String(ev)]);
          }
          const j = exiftoolJson(file);
          expect(j['IFD0:Make']).toBe('TestCam');
          expect(j['IFD0:Orientation']).toBe(1);
          expect(j['ExifIFD:ISO']).toBe(200);
          expect(j['ExifIFD:FNumber']).toBe(8);
          expect(j['ExifIFD:ExposureCompensation']).toBeCloseTo(ev, 9);
          expect(j['ExifIFD:ExposureTime']).toBeCloseTo((1 / 60) * 2 ** ev, 9);
          expect(Object.keys(j).some((k) => k.startsWith('IFD1:'))).toBe(false);
          expect(j['ExifTool:Warning']).toBeUndefined();
        }
      });
    }
  }

  it('source without EXIF: only the bias and the note, no exposure time invented', async () => {
    const bare = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#444' } })
      .jpeg()
      .toBuffer();
    for (const format of ['jpeg', 'tiff'] as const) {
      const out = await withVirtualFrameExif(
        format === 'jpeg' ? plainJpeg : plainTiff,
        format,
        bare,
        -1,
      );
      const t = await tagsOf(out);
      const ifd0 = t.ifd0 as Tags;
      const exif = t.exif as Tags;
      expect(exif.ExposureBiasValue ?? exif.ExposureCompensation).toBe(-1);
      expect(ifd0.ImageDescription).toBe('Bracketeer virtual exposure EV -1.00');
      for (const k of ['ExposureTime', 'FNumber', 'ISO', 'DateTimeOriginal', 'FocalLength'])
        expect(exif[k]).toBeUndefined();
      for (const k of ['Make', 'Model', 'Software']) expect(ifd0[k]).toBeUndefined();
      expect(t.gps).toBeUndefined();
      expect(t.ifd1).toBeUndefined();
      const info = await readExposureInfo(out);
      expect(info.exposureTime).toBeUndefined();
      expect(info.exposureBias).toBe(-1);
    }
  });

  it('a TIFF source (EXIF in the file IFD0) with a non-zero bias', async () => {
    // First frame: bias +1, 1/30 s; a frame of that frame at −2 EV: bias −1, 1/120 s.
    const first = await withVirtualFrameExif(plainTiff, 'tiff', sourceFile, 1);
    const tiffSource = join(dir, 'first.tif');
    writeFileSync(tiffSource, first);
    const out = await withVirtualFrameExif(plainJpeg, 'jpeg', tiffSource, -2);
    const info = await readExposureInfo(out);
    expect(info.exposureBias).toBe(-1);
    expect(info.exposureTime).toBe(1 / 120);
    expect(info.make).toBe('TestCam');
    expect(info.iso).toBe(200);
    const ifd0 = (await tagsOf(out)).ifd0 as Tags;
    expect(ifd0.ImageDescription).toBe('Bracketeer virtual exposure EV -2.00');
    // Image structure of the TIFF source is not carried into the JPEG.
    for (const k of ['BitsPerSample', 'Compression', 'StripOffsets', 'SampleFormat'])
      expect(ifd0[k]).toBeUndefined();
  });

  it('reads the source once and reuses it (buffer source)', async () => {
    const { readFileSync } = await import('node:fs');
    const src = await readSourceExif(readFileSync(sourceFile));
    expect(src?.exposureTime).toEqual([1, 60]);
    const a = addVirtualFrameExif(plainJpeg, 'jpeg', src, 3);
    expect((await readExposureInfo(a)).exposureTime).toBe(8 / 60);
  });

  it('gives a TIFF as parts around a view on the encoded bytes, left unchanged', async () => {
    const { readFileSync } = await import('node:fs');
    const src = await readSourceExif(readFileSync(sourceFile));
    const tiff = await encode('tiff');
    const before = Buffer.from(tiff);
    const parts = virtualFrameExifParts(tiff, 'tiff', src, -1);
    expect(parts).toHaveLength(3);
    expect(parts[1].buffer).toBe(tiff.buffer);
    expect(parts[1].byteOffset).toBe(tiff.byteOffset + 8);
    expect(tiff.equals(before)).toBe(true);
    const joined = Buffer.concat(parts);
    expect(joined.equals(Buffer.from(addVirtualFrameExif(tiff, 'tiff', src, -1)))).toBe(true);
    expect((await readExposureInfo(joined)).exposureTime).toBe(1 / 120);
    expect((await decoded(joined, 'ushort')).equals(await decoded(tiff, 'ushort'))).toBe(true);
  });

  it('replaces an EXIF segment the encoder already wrote and keeps JFIF first', async () => {
    const withOwn = await sharp(plainJpeg).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    const out = Buffer.from(await withVirtualFrameExif(withOwn, 'jpeg', sourceFile, 1));
    const exifId = Buffer.from('Exif\0\0');
    expect(withOwn.indexOf(exifId)).toBeGreaterThan(0);
    expect(out.indexOf(exifId)).toBeGreaterThan(0);
    expect(out.indexOf(exifId, out.indexOf(exifId) + 1)).toBe(-1); // exactly one EXIF block
    if (withOwn[3] === 0xe0) expect([out[2], out[3]]).toEqual([0xff, 0xe0]);
    expect(((await tagsOf(out)).ifd0 as Tags).Orientation).toBe(1);
  });

  it('names the source file when it is corrupt', async () => {
    const junk = join(dir, 'junk.jpg');
    writeFileSync(junk, Buffer.from('this is not an image at all'));
    await expect(withVirtualFrameExif(plainJpeg, 'jpeg', junk, 1)).rejects.toThrow(ImageReadError);
    await expect(withVirtualFrameExif(plainJpeg, 'jpeg', junk, 1)).rejects.toThrow(junk);
    const missing = join(dir, 'missing.jpg');
    await expect(withVirtualFrameExif(plainJpeg, 'jpeg', missing, 1)).rejects.toThrow(missing);
    // A decodable JPEG whose EXIF APP1 holds garbage.
    const badExif = Buffer.concat([
      plainJpeg.subarray(0, 2),
      Buffer.from([0xff, 0xe1, 0, 16]),
      Buffer.from('Exif\0\0XXXXXXXX'),
      plainJpeg.subarray(2),
    ]);
    const badFile = join(dir, 'bad-exif.jpg');
    writeFileSync(badFile, badExif);
    const err = await withVirtualFrameExif(plainTiff, 'tiff', badFile, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageReadError);
    expect((err as Error).message).toContain(badFile);
    expect((err as Error).message).toMatch(/corrupt EXIF/);
  });

  it('rejects a bad frame or EV offset with a clear error', async () => {
    const src = await readSourceExif(sourceFile);
    expect(() =>
      addVirtualFrameExif(new Uint8Array([1, 2, 3]), 'jpeg', src, 1, { outputName: 'out/a.jpg' }),
    ).toThrow(/out\/a\.jpg.*JPEG/);
    expect(() => addVirtualFrameExif(plainJpeg, 'tiff', src, 1)).toThrow(ImageWriteError);
    expect(() => addVirtualFrameExif(plainJpeg, 'jpeg', src, Number.NaN)).toThrow(
      InvalidInputError,
    );
  });
});

describe.skipIf(!exiftool)('withVirtualFrameExif with exiftool-made sources', () => {
  it('drops the thumbnail IFD1, converts big-endian EXIF, keeps exiftool -validate clean', async () => {
    const src = join(dir, 'mm-thumb.jpg');
    const thumb = join(dir, 'thumb.jpg');
    await sharp({ create: { width: 16, height: 12, channels: 3, background: '#f00' } })
      .jpeg()
      .toFile(thumb);
    await sharp({ create: { width: 64, height: 40, channels: 3, background: '#808080' } })
      .jpeg()
      .toFile(src);
    execFileSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-ExifByteOrder=MM',
      '-ExposureTime=1/60',
      '-FNumber=8',
      '-ISO=200',
      '-Make=BigEndianCam',
      '-Model=BE-1',
      '-ExposureCompensation=-1/3',
      '-ShutterSpeedValue=1/60',
      '-DateTimeOriginal=2024:05:06 07:08:09',
      '-Orientation#=6',
      '-GPSVersionID=2.3.0.0',
      `-ThumbnailImage<=${thumb}`,
      src,
    ]);
    const before = exiftoolJson(src);
    expect(before['IFD1:ThumbnailLength']).toBeGreaterThan(0);
    expect(before['File:ExifByteOrder']).toBe('MM');
    for (const format of ['jpeg', 'tiff'] as const) {
      const out = await withVirtualFrameExif(
        format === 'jpeg' ? plainJpeg : plainTiff,
        format,
        src,
        2,
      );
      const file = join(dir, `from-mm.${format === 'jpeg' ? 'jpg' : 'tif'}`);
      writeFileSync(file, out);
      const j = exiftoolJson(file);
      expect(Object.keys(j).some((k) => k.startsWith('IFD1:'))).toBe(false);
      expect(j['IFD0:Make']).toBe('BigEndianCam');
      expect(j['IFD0:Orientation']).toBe(1);
      expect(j['ExifIFD:ISO']).toBe(200);
      expect(j['GPS:GPSVersionID']).toBe('2 3 0 0');
      const raw = rawRationals(file);
      expect(raw.get('ExposureCompensation')).toBe('5/3'); // −1/3 + 2
      expect(raw.get('ExposureTime')).toBe('1/15');
      // APEX Tv of 1/60 s is log2(60); two stops longer: log2(60) − 2 = log2(15).
      expect(j['ExifIFD:ShutterSpeedValue']).toBeCloseTo(1 / 15, 6);
      // Only what sharp's own deflate TIFF already has (libtiff writes Compression 8), and
      // exiftool's TIFF-only demand for GPSProcessingMethod, which the source lacks.
      const expected =
        format === 'tiff'
          ? [
              'Missing required TIFF GPS tag 0x001b GPSProcessingMethod',
              'Invalid value for IFD0 tag 0x0103 Compression',
            ]
          : [];
      expect(validate(file).sort()).toEqual(expected.sort());
    }
  });

  it('leaves out big carried values when a JPEG APP1 segment would overflow', async () => {
    const src = join(dir, 'big-comment.tif');
    writeFileSync(src, plainTiff);
    execFileSync('exiftool', [
      '-q',
      '-overwrite_original',
      '-Make=BigCam',
      '-ExposureTime=1/100',
      `-UserComment=${'x'.repeat(70_000)}`,
      src,
    ]);
    const out = await withVirtualFrameExif(plainJpeg, 'jpeg', src, -1);
    const exif = (await tagsOf(out)).exif as Tags;
    expect(exif.UserComment).toBeUndefined();
    expect(exif.ExposureTime).toBe(1 / 200);
    expect(((await tagsOf(out)).ifd0 as Tags).Make).toBe('BigCam');
    // The same source into a TIFF frame keeps it (no 64 KB limit there).
    const tiff = await withVirtualFrameExif(plainTiff, 'tiff', src, -1);
    expect(tiff.length).toBeGreaterThan(plainTiff.length + 70_000);
  });
});
