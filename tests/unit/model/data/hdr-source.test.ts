import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../src/core/errors.js';
import { createHdr } from '../../../../src/core/image/image.js';
import { resize } from '../../../../src/core/image/resize.js';
import { writeImage } from '../../../../src/core/io/index.js';
import {
  MAX_RADIANCE,
  groupScenes,
  isPanoramic,
  listHdrFiles,
  loadHdrDataset,
  sanitiseHdr,
  sceneBaseName,
  splitScenes,
} from '../../../../src/core/model/data/hdr-source.js';
import { gentlePanorama, scenePanorama, source } from './fixtures.js';

/** Rolls a panorama horizontally by `shift` pixels (a yaw rotation). */
function roll(
  img: ReturnType<typeof scenePanorama>,
  shift: number,
): ReturnType<typeof scenePanorama> {
  const { width: w, height: h, data } = img;
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      out.set(data.subarray(3 * (y * w + x), 3 * (y * w + x) + 3), 3 * (y * w + ((x + shift) % w)));
  return createHdr(w, h, 3, out);
}

describe('sanitiseHdr and names', () => {
  it('clamps NaN/negative to 0 and Inf/huge to MAX_RADIANCE; expands grey to RGB', () => {
    const img = sanitiseHdr(createHdr(2, 2, 1, new Float32Array([NaN, -0.5, Infinity, 3e38])));
    expect(img.channels).toBe(3);
    expect(Array.from(img.data)).toEqual([
      0,
      0,
      0,
      0,
      0,
      0,
      MAX_RADIANCE,
      MAX_RADIANCE,
      MAX_RADIANCE,
      MAX_RADIANCE,
      MAX_RADIANCE,
      MAX_RADIANCE,
    ]);
    const rgb = sanitiseHdr(createHdr(1, 1, 3, new Float32Array([-1e-3, 0.5, NaN])));
    expect(Array.from(rgb.data)).toEqual([0, 0.5, 0]);
  });

  it('detects 2:1 panoramas and normalises scene names', () => {
    expect(isPanoramic(1024, 512)).toBe(true);
    expect(isPanoramic(1000, 500)).toBe(true);
    expect(isPanoramic(1218, 810)).toBe(false);
    expect(sceneBaseName('polyhaven-drei/Lebombo_1k.hdr')).toBe('lebombo');
    expect(sceneBaseName('polyhaven-pmndrs/city.exr')).toBe('city');
  });
});

describe('groupScenes and splitScenes', () => {
  const a = scenePanorama(256, 0);
  const aSmall = roll(resize(a, 128, 64, 'area'), 37); // a downscaled, yaw-rotated copy
  const b = gentlePanorama(256); // a different scene
  const sources = [
    source('big/alpha_1k.hdr', a),
    source('small/renamed.exr', aSmall),
    source('big/beta_1k.hdr', b),
    source('other/beta.exr', createHdr(30, 20), false), // same name as beta: grouped
    source('photos/gamma.exr', createHdr(30, 20), false),
  ];

  it('groups downscaled/rotated copies by content and same names, nothing else', () => {
    const groups = groupScenes(sources);
    expect(groups).toEqual([
      ['big/alpha_1k.hdr', 'small/renamed.exr'],
      ['big/beta_1k.hdr', 'other/beta.exr'],
      ['photos/gamma.exr'],
    ]);
  });

  it('splits whole groups, deterministically, with the requested share', () => {
    const groups = Array.from({ length: 40 }, (_, i) =>
      i % 5 === 0 ? [`g${i}/a`, `g${i}/b`] : [`g${i}/x`],
    );
    const s1 = splitScenes(groups, 1, 0.15);
    const s1b = splitScenes(groups, 1, 0.15);
    expect(s1).toEqual(s1b);
    expect(splitScenes(groups, 2, 0.15).validation).not.toEqual(s1.validation);
    const val = new Set(s1.validation);
    for (const g of groups) {
      const inVal = g.filter((p) => val.has(p)).length;
      expect(inVal === 0 || inVal === g.length).toBe(true);
    }
    const valGroups = groups.filter((g) => val.has(g[0])).length;
    expect(valGroups).toBe(6);
    expect(s1.train.length + s1.validation.length).toBe(48);
    expect(() => splitScenes(groups, 1, 1)).toThrow(InvalidInputError);
  });
});

describe('loading a folder', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bracketeer-data-'));
    await mkdir(join(dir, 'maps'));
    await mkdir(join(dir, 'photos'));
    await writeImage(join(dir, 'maps', 'one.hdr'), scenePanorama(64, 0));
    await writeImage(join(dir, 'maps', 'two.exr'), gentlePanorama(64));
    await writeImage(join(dir, 'photos', 'TestImages_chart.exr'), createHdr(8, 8));
    await writeImage(
      join(dir, 'photos', 'shot.exr'),
      createHdr(30, 20, 3, new Float32Array(1800).fill(0.5)),
    );
    await writeFile(join(dir, 'photos', 'notes.txt'), 'not an image');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists .hdr/.exr recursively, excludes test charts, loads and splits', async () => {
    const { files, excluded } = await listHdrFiles(dir);
    expect(files).toEqual(['maps/one.hdr', 'maps/two.exr', 'photos/shot.exr']);
    expect(excluded.map((e) => e.relPath)).toEqual(['photos/TestImages_chart.exr']);
    const ds = await loadHdrDataset(dir, 1, 0.34);
    expect(ds.split.train.length + ds.split.validation.length).toBe(3);
    expect(ds.split.validation.length).toBe(1);
    const all = [...ds.train, ...ds.validation];
    expect(all.find((s) => s.relPath === 'maps/one.hdr')?.panoramic).toBe(true);
    expect(all.find((s) => s.relPath === 'photos/shot.exr')?.panoramic).toBe(false);
  });

  it('reports a missing or empty folder clearly', async () => {
    await expect(listHdrFiles(join(dir, 'nope'))).rejects.toThrow(/cannot list HDR folder/);
    await mkdir(join(dir, 'empty'));
    await expect(listHdrFiles(join(dir, 'empty'))).rejects.toThrow(/no \.hdr\/\.exr files/);
  });
});
