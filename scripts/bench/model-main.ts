/**
 * Model benchmark: a full virtual bracket (EV −3…+3: N1 once, N2/N3 six times) of the shipped
 * multi-exposure model at 1, 12 and 24 MP on each inference engine — ONNX Runtime (CPU
 * provider) and the TensorFlow.js backends — each run in its own process. Prints ms per
 * megapixel per EV frame, achieved GFLOP/s (analytic convolution FLOPs of the tiled run / wall
 * time), the ratio to the machine's peak and the process's peak RSS.
 *
 * Peak: the best float32 2048×2048×2048 MatMul on ONNX Runtime with one thread per core (MLAS
 * GEMM, ≈ 85–95 % of the FMA peak on x86) seen in the run: 12 at its start, and those timed
 * around the large-tile rounds (below); or given with --peak-gflops. The median of the first 12
 * is printed too: on a virtual machine whose cores are shared with other guests the two differ
 * (measured here on 2026-11-30: best 265–350, medians 131–297; in the slow runs the second vCPU
 * was only partly scheduled), and each run's CPU time / wall time says how much of the cores
 * the bracket actually got (ideal: the thread count).
 *
 * In the first size's process of each engine (not the plain-JS cpu backend) it also times the
 * engine alone on three rounds of 8 encodes and of 8 renders of square tiles (--tile-side,
 * default 1024; 0: skip), with as many tiles in flight as the engine runs at once, and reports
 * the best round beside the median one: the "large tiles" figure (model-large-tiles.ts). Just
 * before and just after each round it times 4 of the peak's MatMuls, and reports each round's
 * rate over the best of those 8 too ("of peak alongside"): a peak caught while the host was
 * quieter than during the rounds, or busier, does not move that ratio.
 *
 *   node scripts/bench-model.mjs [--sizes 1,12,24] [--backends onnxruntime,wasm,cpu]
 *     [--cpu-max-mp 1] [--runs N] [--peak-gflops G] [--tile-side 1024]
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { LdrCodes } from '../../src/core/image/image.js';
import { LITE16_NEAREST_PRIOR_CONFIG } from '../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../src/core/model/architectures/multi-exposure/model.js';
import { generateBracket, planFlops } from '../../src/core/model/inference/index.js';
import {
  BACKEND_ORDER,
  initInferenceBackend,
  type BackendId,
} from '../../src/core/model/runtime/index.js';
import { DEFAULT_MODEL_ID, loadModel } from '../../src/core/model/store/index.js';
import { mallocTuningLine } from '../../src/cli/malloc-tuning.js';
import { largeTiles, type LargeTiles } from './model-large-tiles.js';
import { measurePeak, openMatMulProbe, type MatMulProbe } from './model-peak.js';

const EVS = [-3, -2, -1, 0, 1, 2, 3];
const SIZES: Record<string, [number, number]> = {
  '1': [1216, 832],
  '12': [4000, 3000],
  '24': [6000, 4000],
};

interface RunResult {
  backend: string;
  threads: number;
  mp: number;
  width: number;
  height: number;
  seconds: number;
  gflops: number;
  msPerMpFrame: number;
  peakRssMiB: number;
  /** process CPU time / wall time of the best run (≤ threads; lower: the cores were busy elsewhere) */
  cpuPerWall: number;
  /** wall seconds of every run, in order */
  runs: number[];
  /** the tiling the run chose: "count × width×height" */
  tiles: string;
  weights: string;
  /** engine throughput on large tiles (only in the run asked for it) */
  largeTiles?: LargeTiles;
}

/**
 * A smooth, textured 8-bit test photo, kept as its codes as `bracketeer bracket` keeps a photo it
 * reads (LdrCodes: 3 bytes per pixel; its values are on the 8-bit grid, so the exposure prior
 * takes its table); content does not change the speed.
 */
function testImage(width: number, height: number): LdrCodes {
  const codes = new Uint8Array(width * height * 3);
  const byte = (v: number): number => Math.round(v * 255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      const t = 0.5 + 0.45 * Math.sin(x * 0.013 + Math.cos(y * 0.007)) * Math.cos(y * 0.011);
      codes[i] = byte(t);
      codes[i + 1] = byte(0.06 + 0.85 * t + 0.05 * Math.sin(x * 0.1));
      codes[i + 2] = byte(1 - t);
    }
  }
  return { kind: 'ldr-codes', width, height, channels: 3, bitDepth: 8, codes };
}

type Engine = BackendId | 'onnxruntime';
const ENGINES: readonly string[] = ['onnxruntime', ...BACKEND_ORDER];

async function worker(
  backend: Engine,
  sizeKey: string,
  runCount: number,
  tileSide: number,
): Promise<void> {
  const info = await initInferenceBackend({ prefer: backend });
  if (info.name !== backend) throw new Error(`backend ${backend} unavailable (got ${info.name})`);
  let weights = `${DEFAULT_MODEL_ID} (shipped)`;
  let model;
  try {
    model = (await loadModel()).model;
  } catch {
    model = createMultiExposureModel(LITE16_NEAREST_PRIOR_CONFIG, 1);
    weights = 'lite16-nearest-prior, random weights (speed does not depend on the values)';
  }
  const [width, height] = SIZES[sizeKey];
  const image = testImage(width, height);
  // warm-up on a small crop (kernel compilation, thread start)
  const crop = { ...image, width: 256, height: 256, codes: image.codes.slice(0, 256 * 256 * 3) };
  await generateBracket(model, crop, [1]);
  let flops = 0;
  let tiles = '';
  const runs: number[] = [];
  let cpuPerWall = 0;
  for (let r = 0; r < runCount; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await generateBracket(model, image, EVS, {
      onFrame: () => undefined,
      onPlan: (plan) => {
        flops = planFlops(model, plan, EVS);
        tiles = `${plan.tiles.length} × ${plan.tileWidth}×${plan.tileHeight}`;
      },
    });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (runs.length === 0 || wall < Math.min(...runs)) {
      cpuPerWall = (cpu.user + cpu.system) / 1e6 / wall;
    }
    runs.push(wall);
  }
  const seconds = Math.min(...runs);
  const mp = (width * height) / 1e6;
  let large: LargeTiles | undefined;
  if (tileSide > 0) {
    // the reference GEMM alongside each round; without ONNX Runtime, the rounds alone
    const probe: MatMulProbe | undefined = await openMatMulProbe().catch(() => undefined);
    large = await largeTiles(model, image, tileSide, 8, probe);
    await probe?.release();
  }
  const result: RunResult = {
    backend,
    threads: info.threads,
    mp,
    width,
    height,
    seconds,
    gflops: flops / 1e9 / seconds,
    tiles,
    msPerMpFrame: (seconds * 1000) / (mp * 6),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuPerWall,
    runs,
    weights,
    largeTiles: large,
  };
  model.dispose();
  void tf;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1,12,24' },
      backends: { type: 'string', default: 'onnxruntime,wasm,cpu' },
      'peak-gflops': { type: 'string' },
      peak: { type: 'boolean' },
      'cpu-max-mp': { type: 'string', default: '1' },
      worker: { type: 'string' },
      size: { type: 'string' },
      runs: { type: 'string', default: '1' },
      'tile-side': { type: 'string', default: '1024' },
    },
  });
  if (values.peak) {
    void measurePeak().then(
      (g) => {
        process.stdout.write(`PEAK ${JSON.stringify(g)}\n`);
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      },
    );
    return;
  }
  const runCount = Math.max(1, Math.floor(Number(values.runs)) || 1);
  const tileSide = Math.max(0, Math.floor(Number(values['tile-side'])) || 0);
  if (values.worker) {
    void worker(values.worker as Engine, values.size ?? '1', runCount, tileSide).catch(
      (err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      },
    );
    return;
  }
  const sizes = values.sizes.split(',').filter((s) => s in SIZES);
  const backends = values.backends.split(',').filter((b): b is Engine => ENGINES.includes(b));
  const cpuMax = Number(values['cpu-max-mp']);
  let peak = Number(values['peak-gflops']);
  let peakSource = '--peak-gflops';
  if (!(peak > 0)) {
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--peak'], {
      encoding: 'utf8',
    });
    const line = r.stdout.split('\n').find((l) => l.startsWith('PEAK '));
    const measured = line ? (JSON.parse(line.slice(5)) as { best: number; median: number }) : null;
    peak = measured ? measured.best : NaN;
    peakSource = measured
      ? `measured: best of 12 float32 2048³ MatMuls on ONNX Runtime, all cores; median ${measured.median.toFixed(1)}`
      : 'not measured';
  }
  const peakGiven = values['peak-gflops'] !== undefined && peak > 0;
  process.stdout.write(
    `bench:model — EV −3…+3 bracket (6 rendered frames), ${cpus().length} logical cores, Node ${process.versions.node}\n` +
      `peak ${peakGiven ? '' : 'at the start '}${Number.isFinite(peak) ? peak.toFixed(1) : '?'} GFLOP/s (${peakSource})\n` +
      `bracket s: the best of ${runCount} run${runCount > 1 ? 's' : ''} per row (all under "runs s")\n` +
      `malloc: ${mallocTuningLine()}\n`,
  );
  const ofPeak = (g: number): string =>
    Number.isFinite(peak) && peak > 0 ? `${((100 * g) / peak).toFixed(0)} %` : '—';
  const alongside = (ratios?: number[]): string => {
    if (!ratios?.length) return '—';
    const pc = (r: number): string => `${(100 * r).toFixed(0)} %`;
    const sorted = [...ratios].sort((a, b) => a - b);
    return `${pc(sorted[sorted.length >> 1])} (${pc(sorted[0])}–${pc(sorted[sorted.length - 1])})`;
  };
  // rows are written once the peak is final: the best MatMul of the whole run
  const rows: (() => string)[] = [];
  const tileRows: (() => string)[] = [];
  const startPeak = peak;
  // the best MatMul timed around the large-tile rounds (none yet: −∞)
  let tilesPeak = -Infinity;
  for (const backend of backends) {
    let tilesMeasured = backend === 'cpu' || tileSide === 0;
    for (const size of sizes) {
      if (backend === 'cpu' && Number(size) > cpuMax) {
        rows.push(
          () =>
            `| ${backend} | ${size} MP | — | — | — | — | — | — | — | — | skipped: the cpu backend is plain JS (raise --cpu-max-mp to run it) |`,
        );
        continue;
      }
      process.stdout.write(`  ${backend} ${size} MP …\n`);
      const r = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          process.argv[1],
          '--worker',
          backend,
          '--size',
          size,
          '--runs',
          String(runCount),
          '--tile-side',
          tilesMeasured ? '0' : String(tileSide),
        ],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) {
        const why = (r.stderr || `exit ${r.status}`).trim().split('\n').pop() ?? '';
        rows.push(
          () => `| ${backend} | ${size} MP | — | — | — | — | — | — | — | — | failed: ${why} |`,
        );
        continue;
      }
      const x = JSON.parse(line.slice(7)) as RunResult;
      const t = x.largeTiles;
      if (t) {
        tilesMeasured = true;
        if (t.matmulBest !== undefined) tilesPeak = Math.max(tilesPeak, t.matmulBest);
        const cell = (ms: number, best: number, median: number, along?: number[]): string =>
          `${ms.toFixed(0)} | ${best.toFixed(1)} | ${ofPeak(best)} (median ${ofPeak(median)}) | ${alongside(along)}`;
        tileRows.push(
          () =>
            `| ${x.backend} | ${t.side}² × ${t.count} × ${t.rounds} rounds, ${t.lanes} at once | ${cell(t.encodeMs, t.encodeGflops, t.encodeMedianGflops, t.encodeOfAlongside)} | ${cell(t.renderMs, t.renderGflops, t.renderMedianGflops, t.renderOfAlongside)} |`,
        );
      }
      rows.push(
        () =>
          `| ${x.backend} (${x.threads} threads) | ${x.mp.toFixed(1)} MP (${x.width}×${x.height}) | ${x.seconds.toFixed(1)} | ${x.msPerMpFrame.toFixed(0)} | ${x.gflops.toFixed(1)} | ${ofPeak(x.gflops)} | ${x.peakRssMiB.toFixed(0)} | ${x.cpuPerWall.toFixed(2)} | ${x.runs.map((t) => t.toFixed(1)).join(', ')} | ${x.tiles} | ${x.weights} |`,
      );
    }
  }
  if (!peakGiven && !(peak >= tilesPeak)) peak = tilesPeak;
  const gflops = (g: number): string => (Number.isFinite(g) ? g.toFixed(1) : '?');
  process.stdout.write(
    [
      '',
      peakGiven
        ? `peak for the ratios: ${peak.toFixed(1)} GFLOP/s (--peak-gflops)`
        : `peak for the ratios: ${gflops(peak)} GFLOP/s, the best 2048³ MatMul of the run (${gflops(startPeak)} at the start${Number.isFinite(tilesPeak) ? `, ${gflops(tilesPeak)} around the large tiles` : ''})`,
      '',
      '| engine | photo | bracket s | ms / MP / EV frame | GFLOP/s | of peak | peak RSS MiB | CPU / wall | runs s | tiles | weights |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
      ...rows.map((row) => row()),
      '',
      'Large tiles: the engine alone (no tiling, blending or photo buffers), ms per tile with every lane busy; the best round (as the peak is the best MatMul), the median round in brackets; of peak alongside: each round over the best of the 8 MatMuls timed around it (4 before, 4 after), the median round and the range',
      '',
      '| engine | tiles | encode ms | encode GFLOP/s | of peak | of peak alongside | render ms | render GFLOP/s | of peak | of peak alongside |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...tileRows.map((row) => row()),
      '',
    ].join('\n'),
  );
}

main();
