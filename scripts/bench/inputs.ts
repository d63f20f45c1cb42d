/**
 * Benchmark inputs, each read once: the Memorial Church bracket (../shared/data) and a 12-MP
 * synthetic bracket generated into the run's temporary folder. Each input also carries an HDR
 * image for the tone-mapping runs, written as .hdr and .exr and read back from the .hdr so that
 * every tool (ours in-process, OpenCV, the command-line peers) sees the same RGBE-quantised pixels.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { calibrateDebevec, type DebevecResponse } from '../../src/core/camera/debevec-calibrate.js';
import { RESPONSE_LEVELS } from '../../src/core/camera/response.js';
import { parseShutterTimes } from '../../src/core/exif/exposure.js';
import { mergeDebevec } from '../../src/core/hdr/merge-debevec.js';
import type { HdrImage, LdrImage } from '../../src/core/image/image.js';
import { readImage, writeImage } from '../../src/core/io/index.js';
import { writeRaw } from './agreement.js';
import { renderFrame, syntheticScene } from './synthetic-scene.js';

/** One benchmark input. */
export interface BenchInput {
  /** Short id used by --only and in the JSON: "memorial" or "synthetic-12mp". */
  readonly id: string;
  /** Label for the table, e.g. "memorial 512×768 ×16". */
  readonly label: string;
  /** Working folder for this input's outputs. */
  readonly dir: string;
  readonly frameFiles: readonly string[];
  readonly frames: readonly LdrImage[];
  /** Exposure time of each frame, seconds. */
  readonly times: readonly number[];
  /** Our Debevec response of the bracket (shared with OpenCV's merges). */
  readonly response: DebevecResponse;
  /** The response as a raw float32 file laid out as OpenCV's 256×1×C Mat (code-major). */
  readonly responseRaw: string;
  /** HDR image for the tone-mapping runs, as read back from `hdrFile`. */
  readonly hdr: HdrImage;
  readonly hdrFile: string;
  readonly exrFile: string;
  /** `hdr` as raw float32 (for OpenCV, so it gets exactly our pixels). */
  readonly hdrRaw: string;
}

async function readFrames(files: readonly string[]): Promise<LdrImage[]> {
  const frames: LdrImage[] = [];
  for (const f of files) {
    const img = await readImage(f);
    if (img.kind !== 'ldr') throw new Error(`${f}: expected an LDR frame`);
    frames.push(img);
  }
  return frames;
}

async function finish(
  base: Omit<BenchInput, 'responseRaw' | 'hdr' | 'hdrFile' | 'exrFile' | 'hdrRaw' | 'response'>,
  radiance: (response: DebevecResponse) => HdrImage,
): Promise<BenchInput> {
  const response = calibrateDebevec(base.frames, base.times);
  const ch = response.inverse.length;
  const curve = new Float32Array(RESPONSE_LEVELS * ch);
  for (let z = 0; z < RESPONSE_LEVELS; z++) {
    for (let c = 0; c < ch; c++) curve[z * ch + c] = response.inverse[c][z];
  }
  const responseRaw = path.join(base.dir, 'response.f32');
  await writeRaw(responseRaw, curve);
  const hdrFile = path.join(base.dir, `${base.id}.hdr`);
  const exrFile = path.join(base.dir, `${base.id}.exr`);
  const source = radiance(response);
  await writeImage(hdrFile, source);
  await writeImage(exrFile, source);
  const hdr = await readImage(hdrFile);
  if (hdr.kind !== 'hdr') throw new Error(`${hdrFile}: expected HDR`);
  const hdrRaw = path.join(base.dir, `${base.id}-hdr.f32`);
  await writeRaw(hdrRaw, hdr.data);
  return { ...base, response, responseRaw, hdr, hdrFile, exrFile, hdrRaw };
}

/**
 * The Memorial Church bracket; its tone-mapping HDR is our Debevec merge of it.
 * @returns undefined when the data folder is absent
 */
export async function memorialInput(
  dataRoot: string,
  tmp: string,
): Promise<BenchInput | undefined> {
  const src = path.join(dataRoot, 'brackets', 'memorial');
  if (!existsSync(path.join(src, 'shutter_times.txt'))) return undefined;
  const frameFiles = (await readdir(src))
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => path.join(src, f));
  const times = parseShutterTimes(await readFile(path.join(src, 'shutter_times.txt'), 'utf8'));
  const frames = await readFrames(frameFiles);
  const dir = path.join(tmp, 'memorial');
  await mkdir(dir, { recursive: true });
  const { width: w, height: h } = frames[0];
  return finish(
    {
      id: 'memorial',
      label: `memorial ${w}×${h} ×${frames.length}`,
      dir,
      frameFiles,
      frames,
      times,
    },
    (response) => mergeDebevec(frames, times, response),
  );
}

/**
 * The synthetic bracket: {@link syntheticScene} rendered at EV −2…+2 (times 2^EV s, gain 1/4)
 * through sRGB to 8-bit PNG; its tone-mapping HDR is the scene itself.
 */
export async function syntheticInput(
  tmp: string,
  width = 4000,
  height = 3000,
): Promise<BenchInput> {
  const dir = path.join(tmp, 'synthetic');
  await mkdir(dir, { recursive: true });
  const scene = syntheticScene(width, height);
  const evs = [-2, -1, 0, 1, 2];
  const frameFiles: string[] = [];
  for (const ev of evs) {
    const file = path.join(dir, `frame_ev${ev >= 0 ? '+' : ''}${ev}.png`);
    await writeImage(file, renderFrame(scene, ev, 0.25));
    frameFiles.push(file);
  }
  const frames = await readFrames(frameFiles);
  const mp = ((width * height) / 1e6).toFixed(0);
  return finish(
    {
      id: 'synthetic-12mp',
      label: `synthetic ${width}×${height} (${mp} MP) ×${evs.length}`,
      dir,
      frameFiles,
      frames,
      times: evs.map((ev) => 2 ** ev),
    },
    () => scene,
  );
}
