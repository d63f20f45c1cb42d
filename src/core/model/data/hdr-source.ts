/**
 * The real HDR images that synthetic training brackets are cut from: listing, loading (sanitised,
 * 3-channel, cached by the caller), grouping of duplicate scenes and a deterministic by-scene
 * train/validation split.
 *
 * Grouping rule (no scene may sit in both splits). Two images belong to the same scene group when
 * (a) their normalised base names are equal — lower case, extension and a resolution suffix such
 *     as `_1k`/`_2k` removed (`polyhaven-pmndrs/city.exr` ~ `polyhaven-blender/city.exr`); this
 *     over-groups at worst, which is harmless for leakage; or
 * (b) both are panoramas (2:1) whose 64×32 log-luminance thumbnails correlate above
 *     {@link DUPLICATE_CORRELATION} at the best horizontal (yaw) shift — this catches the
 *     polyhaven-pmndrs copies that are downscaled drei maps under another name
 *     (e.g. `pmndrs/city.exr` = `drei/potsdamer_platz_1k.hdr`).
 *     On the shared data the true copies correlate at ≥ 0.997, unrelated outdoor panoramas at
 *     ≤ 0.89 (sky above, ground below), hence the threshold 0.97.
 * Groups are the connected components of both relations.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { createHdr, type HdrImage } from '../../image/image.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import { readImage } from '../../io/index.js';

/** One loaded HDR image. */
export interface HdrSource {
  /** Path relative to the data folder, '/'-separated (e.g. "polyhaven-drei/lebombo_1k.hdr"). */
  readonly relPath: string;
  /** Scene linear RGB, 3 channels, finite, in [0, {@link MAX_RADIANCE}]. */
  readonly image: HdrImage;
  /** True for equirectangular maps (aspect 2:1 within 2 %): perspective crops apply. */
  readonly panoramic: boolean;
}

/** The by-scene split, as relative paths (sorted); written to the model card. */
export interface DataSplit {
  readonly seed: number;
  readonly train: readonly string[];
  readonly validation: readonly string[];
  /** Scene groups with more than one member (key: the group's first path). */
  readonly groups: readonly (readonly string[])[];
  /** Files skipped on purpose, with the reason. */
  readonly excluded: readonly { readonly relPath: string; readonly reason: string }[];
}

/** Values above this (and Inf) are clamped: half-float max, far beyond any real scene here. */
export const MAX_RADIANCE = 65504;
/** Thumbnail correlation above which two panoramas count as the same scene. */
export const DUPLICATE_CORRELATION = 0.97;

/** Synthetic test charts, not photographs: no camera would see them. */
const EXCLUDE = [{ re: /(^|\/)TestImages_/, reason: 'synthetic test chart, not a photograph' }];

/**
 * Lists the .hdr/.exr files under a folder (recursively), as sorted '/'-separated relative paths,
 * and the files excluded on purpose (synthetic test charts).
 * @throws InvalidInputError when the folder cannot be read or holds no HDR file
 */
export async function listHdrFiles(
  dir: string,
): Promise<{ files: string[]; excluded: { relPath: string; reason: string }[] }> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })) as string[];
  } catch (err) {
    throw new InvalidInputError(`${dir}: cannot list HDR folder: ${(err as Error).message}`);
  }
  const files: string[] = [];
  const excluded: { relPath: string; reason: string }[] = [];
  for (const e of entries) {
    const rel = e.split(/[\\/]/).join('/');
    if (!/\.(hdr|exr)$/i.test(rel)) continue;
    const ex = EXCLUDE.find((x) => x.re.test(rel));
    if (ex) excluded.push({ relPath: rel, reason: ex.reason });
    else files.push(rel);
  }
  files.sort();
  excluded.sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
  if (files.length === 0) throw new InvalidInputError(`${dir}: no .hdr/.exr files found`);
  return { files, excluded };
}

/** True when width:height is 2:1 within 2 % (an equirectangular map). */
export function isPanoramic(width: number, height: number): boolean {
  return Math.abs(width / height - 2) < 0.04;
}

/**
 * Makes an HDR image safe for synthesis: 3 channels, NaN and negatives (lossy DWAB) → 0,
 * +Inf and values above {@link MAX_RADIANCE} → MAX_RADIANCE. Returns a new image.
 */
export function sanitiseHdr(img: HdrImage): HdrImage {
  const n = img.width * img.height;
  const out = new Float32Array(n * 3);
  const src = img.data;
  if (img.channels === 1) {
    for (let i = 0; i < n; i++) {
      const v = src[i];
      const c = v > 0 ? (v < MAX_RADIANCE ? v : MAX_RADIANCE) : 0;
      out[3 * i] = c;
      out[3 * i + 1] = c;
      out[3 * i + 2] = c;
    }
  } else {
    for (let i = 0; i < n * 3; i++) {
      const v = src[i];
      out[i] = v > 0 ? (v < MAX_RADIANCE ? v : MAX_RADIANCE) : 0;
    }
  }
  return createHdr(img.width, img.height, 3, out);
}

/**
 * Loads one HDR file relative to `dir`, sanitised ({@link sanitiseHdr}).
 * @throws ImageReadError for unreadable files; InvalidInputError for an LDR file
 */
export async function loadHdrSource(dir: string, relPath: string): Promise<HdrSource> {
  const file = join(dir, relPath);
  const img = await readImage(file);
  if (img.kind !== 'hdr') throw new InvalidInputError(`${file}: not an HDR image`);
  const image = sanitiseHdr(img);
  return { relPath, image, panoramic: isPanoramic(image.width, image.height) };
}

/**
 * Loads every HDR file of a folder (see {@link listHdrFiles}); keep the result in memory and
 * reuse it: ~50 images of ≤ 1024×512 take ≈ 100 MB.
 */
export async function loadHdrSources(
  dir: string,
  options: JobOptions = {},
): Promise<{ sources: HdrSource[]; excluded: { relPath: string; reason: string }[] }> {
  const { files, excluded } = await listHdrFiles(dir);
  const sources: HdrSource[] = [];
  for (let i = 0; i < files.length; i++) {
    throwIfAborted(options.signal);
    sources.push(await loadHdrSource(dir, files[i]));
    options.onProgress?.({ fraction: (i + 1) / files.length, message: `Loading ${files[i]}` });
  }
  return { sources, excluded };
}

/** Base name without folder, extension and resolution suffix, lower case ("city", "lebombo"). */
export function sceneBaseName(relPath: string): string {
  const base = relPath.split('/').pop() ?? relPath;
  return base
    .toLowerCase()
    .replace(/\.[a-z0-9]+$/, '')
    .replace(/_\d+k$/, '');
}

const SIG_W = 64;
const SIG_H = 32;

/** Zero-mean, unit-norm 64×32 log-luminance thumbnail (area average) of a panorama. */
export function panoramaSignature(img: HdrImage): Float32Array {
  const sig = new Float64Array(SIG_W * SIG_H);
  const cnt = new Float64Array(SIG_W * SIG_H);
  const { width: w, height: h, data } = img;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(SIG_H - 1, Math.floor((y * SIG_H) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(SIG_W - 1, Math.floor((x * SIG_W) / w));
      const i = 3 * (y * w + x);
      const l = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      sig[sy * SIG_W + sx] += l;
      cnt[sy * SIG_W + sx]++;
    }
  }
  const out = new Float32Array(SIG_W * SIG_H);
  let mean = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = Math.log(1e-4 + sig[i] / Math.max(1, cnt[i]));
    mean += out[i];
  }
  mean /= out.length;
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] -= mean;
    norm += out[i] * out[i];
  }
  const k = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

/** Highest correlation of two signatures over all horizontal (yaw) shifts, in [−1, 1]. */
export function signatureCorrelation(a: Float32Array, b: Float32Array): number {
  let best = -1;
  for (let s = 0; s < SIG_W; s++) {
    let dot = 0;
    for (let y = 0; y < SIG_H; y++) {
      const row = y * SIG_W;
      for (let x = 0; x < SIG_W; x++) dot += a[row + x] * b[row + ((x + s) % SIG_W)];
    }
    if (dot > best) best = dot;
  }
  return best;
}

/**
 * Groups sources showing the same scene (rule in the module comment).
 * @returns groups of relative paths, each sorted, ordered by their first path; singletons included
 */
export function groupScenes(sources: readonly HdrSource[]): string[][] {
  const n = sources.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (a: number, b: number): void => {
    parent[find(a)] = find(b);
  };
  const names = sources.map((s) => sceneBaseName(s.relPath));
  const sigs = sources.map((s) => (s.panoramic ? panoramaSignature(s.image) : undefined));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (names[i] === names[j]) union(i, j);
      const a = sigs[i];
      const b = sigs[j];
      if (a && b && signatureCorrelation(a, b) > DUPLICATE_CORRELATION) union(i, j);
    }
  }
  const byRoot = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = byRoot.get(r) ?? [];
    g.push(sources[i].relPath);
    byRoot.set(r, g);
  }
  return [...byRoot.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** FNV-1a 32-bit hash of a string, for seeded, order-independent choices. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Deterministic by-scene split: groups are ordered by hash(seed, first path) and the first
 * round(fraction·groups) go to validation. Whole groups move together.
 * @param groups - from {@link groupScenes}
 * @param seed - any integer
 * @param validationFraction - share of scene groups for validation, in [0, 1), default 0.15
 */
export function splitScenes(
  groups: readonly (readonly string[])[],
  seed: number,
  validationFraction = 0.15,
  excluded: DataSplit['excluded'] = [],
): DataSplit {
  if (!(validationFraction >= 0 && validationFraction < 1)) {
    throw new InvalidInputError(`validation fraction must be in [0, 1), got ${validationFraction}`);
  }
  const ordered = [...groups].sort(
    (a, b) => hashString(`${seed}:${a[0]}`) - hashString(`${seed}:${b[0]}`),
  );
  const nVal = Math.round(validationFraction * ordered.length);
  const validation = ordered.slice(0, nVal).flat().sort();
  const train = ordered.slice(nVal).flat().sort();
  return {
    seed,
    train,
    validation,
    groups: groups.filter((g) => g.length > 1).map((g) => [...g]),
    excluded: [...excluded],
  };
}

/** Sources loaded and split by scene. */
export interface HdrDataset {
  readonly split: DataSplit;
  readonly train: readonly HdrSource[];
  readonly validation: readonly HdrSource[];
}

/**
 * Loads a folder of HDR images and splits it by scene ({@link groupScenes}, {@link splitScenes}).
 * @param seed - split seed (the same seed always gives the same split for the same files)
 */
export async function loadHdrDataset(
  dir: string,
  seed: number,
  validationFraction = 0.15,
  options: JobOptions = {},
): Promise<HdrDataset> {
  const { sources, excluded } = await loadHdrSources(dir, options);
  const split = splitScenes(groupScenes(sources), seed, validationFraction, excluded);
  const val = new Set(split.validation);
  return {
    split,
    train: sources.filter((s) => !val.has(s.relPath)),
    validation: sources.filter((s) => val.has(s.relPath)),
  };
}
