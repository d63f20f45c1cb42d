import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../src/core/errors.js';
import { pickStyle, readPhotoCamera } from '../../../../src/core/exif/photo-camera.js';
import {
  CAMERA_PROFILE_FILE,
  photoProfile,
  profileLabel,
  profileMatches,
  profileResponse,
  readCameraProfile,
} from '../../../../src/core/model/finetune/profile-file.js';
import { EXIFTOOL_AVAILABLE } from '../../exif/exiftool.js';

let dir = '';

/** Gamma-2.2 inverse: code z → (z/255)^2.2. */
const gammaCurve = (): number[] => Array.from({ length: 256 }, (_, z) => (z / 255) ** 2.2);

function profileJson(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: 'Canon EOS 5D',
    make: 'Canon',
    model: 'EOS 5D',
    source: 'debevec',
    residual: 0.125,
    stacks: [{ name: 's1', residual: 0.125 }],
    inverse: [gammaCurve(), gammaCurve(), gammaCurve()],
    ...over,
  };
}

async function modelDir(name: string, content: string | null): Promise<string> {
  const d = path.join(dir, name);
  await mkdir(d, { recursive: true });
  if (content !== null) await writeFile(path.join(d, CAMERA_PROFILE_FILE), content);
  return d;
}

async function jpeg(file: string, tags: string[]): Promise<string> {
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .jpeg()
    .toFile(file);
  if (tags.length > 0) execFileSync('exiftool', ['-q', '-overwrite_original', ...tags, file]);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-profile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readCameraProfile', () => {
  it('reads a valid profile (style absent → null)', async () => {
    const d = await modelDir('ok', JSON.stringify(profileJson()));
    const p = await readCameraProfile(d);
    expect(p).not.toBeNull();
    expect(p?.key).toBe('Canon EOS 5D');
    expect(p?.style).toBeNull();
    expect(p?.residual).toBe(0.125);
    expect(p?.inverse).toHaveLength(3);
    expect(p?.file).toBe(path.join(d, CAMERA_PROFILE_FILE));
  });

  it('gives null for a folder without a profile', async () => {
    expect(await readCameraProfile(await modelDir('none', null))).toBeNull();
  });

  it('names the file when it is not JSON', async () => {
    const d = await modelDir('notjson', '{"key": "Canon');
    const err = await readCameraProfile(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain(path.join(d, CAMERA_PROFILE_FILE));
    expect((err as Error).message).toMatch(/not JSON/);
  });

  it('names the file and the field for a curve of the wrong length', async () => {
    const bad = profileJson({ inverse: [gammaCurve().slice(0, 200)] });
    const d = await modelDir('short', JSON.stringify(bad));
    const err = await readCameraProfile(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain(path.join(d, CAMERA_PROFILE_FILE));
    expect((err as Error).message).toContain('inverse.0');
  });

  it('refuses negative or non-finite values and 2 curves', async () => {
    const neg = gammaCurve();
    neg[10] = -1;
    for (const [name, over] of [
      ['neg', { inverse: [neg] }],
      ['two', { inverse: [gammaCurve(), gammaCurve()] }],
      ['nores', { residual: 'low' }],
    ] as const) {
      const d = await modelDir(name, JSON.stringify(profileJson(over)));
      await expect(readCameraProfile(d)).rejects.toThrow(/not a valid camera profile/);
    }
  });
});

describe('profileMatches (camera key and picture style)', () => {
  const p = { key: 'Canon EOS 5D', style: null };
  it('matches the same Make Model, ignoring case and spacing', () => {
    expect(profileMatches(p, { key: 'Canon EOS 5D', style: null })).toBe(true);
    expect(profileMatches(p, { key: ' canon  eos 5d ', style: null })).toBe(true);
  });
  it('does not match another camera, no camera, or a profile without a key', () => {
    expect(profileMatches(p, { key: 'Canon EOS 6D', style: null })).toBe(false);
    expect(profileMatches(p, { key: 'Nikon D850', style: null })).toBe(false);
    expect(profileMatches(p, { key: null, style: null })).toBe(false);
    expect(profileMatches({ key: null, style: null }, { key: 'Canon EOS 5D', style: null })).toBe(
      false,
    );
  });
  it('a profile without a style matches every style of its camera', () => {
    expect(profileMatches(p, { key: 'Canon EOS 5D', style: 'Landscape' })).toBe(true);
    expect(profileMatches(p, { key: 'Canon EOS 5D', style: 'Portrait' })).toBe(true);
  });
  it('a profile with a style matches only photos of that style', () => {
    const s = { key: 'Canon EOS 5D', style: 'Landscape' };
    expect(profileMatches(s, { key: 'Canon EOS 5D', style: 'landscape' })).toBe(true);
    expect(profileMatches(s, { key: 'Canon EOS 5D', style: 'Portrait' })).toBe(false);
    expect(profileMatches(s, { key: 'Canon EOS 5D', style: null })).toBe(false);
    expect(profileMatches(s, { key: 'Canon EOS 6D', style: 'Landscape' })).toBe(false);
  });
  it('labels style-limited profiles', () => {
    expect(profileLabel({ key: 'Canon EOS 5D', style: 'Landscape' })).toBe(
      'Canon EOS 5D [Landscape]',
    );
    expect(profileLabel(p)).toBe('Canon EOS 5D');
  });
});

describe('pickStyle', () => {
  it('takes the first style tag with text, in the documented order', () => {
    expect(pickStyle({ PictureStyle: 'Landscape', CreativeStyle: 'Vivid' })).toBe('Landscape');
    expect(pickStyle({ PictureStyle: '  ', PictureControlName: 'NEUTRAL\u0000' })).toBe('NEUTRAL');
    expect(pickStyle({ CreativeStyle: 'Vivid' })).toBe('Vivid');
    expect(pickStyle({ Make: 'Canon' })).toBeNull();
    expect(pickStyle(undefined)).toBeNull();
  });
});

describe('profileResponse', () => {
  it('gives Float32 curves with the profile as source and its residual', async () => {
    const p = await readCameraProfile(await modelDir('resp', JSON.stringify(profileJson())));
    if (!p) throw new Error('no profile');
    const r = profileResponse(p);
    expect(r.inverse[0]).toBeInstanceOf(Float32Array);
    expect(r.inverse[1][128]).toBeCloseTo((128 / 255) ** 2.2, 6);
    expect(r.source).toBe('profile:Canon EOS 5D');
    expect(r.residual).toBe(0.125);
  });
});

describe.skipIf(!EXIFTOOL_AVAILABLE)('photoProfile on real files (exiftool)', () => {
  it('applies to a photo of the camera, not to another camera or one without EXIF', async () => {
    const d = await modelDir('tuned', JSON.stringify(profileJson()));
    const same = await jpeg(path.join(dir, 'same.jpg'), ['-Make=Canon', '-Model=EOS 5D']);
    const other = await jpeg(path.join(dir, 'other.jpg'), ['-Make=NIKON', '-Model=D850']);
    const none = await jpeg(path.join(dir, 'none.jpg'), []);
    const a = await photoProfile(d, same);
    expect(a.camera).toEqual({ key: 'Canon EOS 5D', style: null });
    expect(a.applies).toBe(true);
    expect((await photoProfile(d, other)).applies).toBe(false);
    expect((await photoProfile(d, none)).camera.key).toBeNull();
    expect((await photoProfile(d, none)).applies).toBe(false);
  });

  it('reads a picture style recorded in XMP and applies the style rule', async () => {
    const xmp = path.join(dir, 'style.xmp');
    await writeFile(
      xmp,
      `<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:bk='http://ns.bracketeer.example/1.0/'><bk:PictureStyle>Landscape</bk:PictureStyle></rdf:Description></rdf:RDF></x:xmpmeta>`,
    );
    const photo = await jpeg(path.join(dir, 'styled.jpg'), [
      '-Make=Canon',
      '-Model=EOS 5D',
      `-xmp<=${xmp}`,
    ]);
    expect(await readPhotoCamera(photo)).toEqual({ key: 'Canon EOS 5D', style: 'Landscape' });
    const portrait = await modelDir('portrait', JSON.stringify(profileJson({ style: 'Portrait' })));
    const landscape = await modelDir(
      'landscape',
      JSON.stringify(profileJson({ style: 'Landscape' })),
    );
    expect((await photoProfile(portrait, photo)).applies).toBe(false);
    expect((await photoProfile(landscape, photo)).applies).toBe(true);
  });

  it('a corrupt profile fails with its file name', async () => {
    const d = await modelDir('corrupt', 'garbage');
    const same = await jpeg(path.join(dir, 'same2.jpg'), ['-Make=Canon', '-Model=EOS 5D']);
    await expect(photoProfile(d, same)).rejects.toThrow(path.join(d, CAMERA_PROFILE_FILE));
  });
});
