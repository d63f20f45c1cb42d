/**
 * `npm run bench:engine`: our engine against real peers (OpenCV, pfstmo, Luminance HDR, enfuse)
 * on the Memorial Church stack and a 12-MP synthetic stack, all measured in this run. Prints a
 * Markdown table on stdout (progress on stderr) and writes bench-results/engine-<date>.json.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './args.js';
import { memorialInput, syntheticInput, type BenchInput } from './inputs.js';
import { describeMachine } from './machine.js';
import { findOpenCv } from './opencv.js';
import { operations } from './operations.js';
import { detectTools } from './processes.js';
import { markdownTable, meetsAim, ratio, type Row } from './report.js';
import { benchmarkInput } from './run-input.js';
import type { RunPlan } from './timing.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const t0 = performance.now();
  const machine = describeMachine();
  const opencv = findOpenCv();
  const tools = detectTools();
  const dataRoot = process.env.BRACKETEER_DATA ?? path.resolve(ROOT, '..', 'shared', 'data');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bracketeer-bench-'));
  const plans: Record<string, RunPlan> = {
    memorial: { runs: args.quick ? 3 : 5, slowMs: 15_000 },
    'synthetic-12mp': { runs: 3, slowMs: 15_000, processWarmup: false },
  };
  const onlyWords = args.only?.split(/\s+/).filter((w) => w) ?? [];
  const selected = (opId: string, inputId: string): boolean =>
    onlyWords.every((w) => `${opId} ${inputId}`.toLowerCase().includes(w));
  const allOps = operations();
  const notes: string[] = [];
  const rows: Row[] = [];
  const inputs: { id: string; label: string }[] = [];
  log(`bench:engine: temporary folder ${tmp}`);

  const loaders: { id: string; load: () => Promise<BenchInput | undefined> }[] = [
    { id: 'memorial', load: () => memorialInput(dataRoot, tmp) },
  ];
  if (!args.quick && !args.no12mp)
    loaders.push({ id: 'synthetic-12mp', load: () => syntheticInput(tmp) });
  try {
    for (const { id, load } of loaders) {
      const ops = allOps.filter((o) => selected(o.id, id));
      if (ops.length === 0) continue;
      log(`Preparing input ${id} …`);
      const input = await load();
      if (!input) {
        notes.push(
          `memorial skipped: ${path.join(dataRoot, 'brackets', 'memorial')} is absent (../shared/data not checked out)`,
        );
        log(notes[notes.length - 1]);
        continue;
      }
      inputs.push({ id: input.id, label: input.label });
      log(`Benchmarking ${input.label} (${ops.length} operations) …`);
      rows.push(...(await benchmarkInput(input, { ops, plan: plans[id], opencv, tools, log })));
    }
  } finally {
    if (args.keep) log(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }

  const cvText = opencv
    ? `OpenCV ${opencv.version} (${opencv.python}, its default thread count)`
    : 'OpenCV: not installed';
  const toolText = tools.map((t) =>
    t.path ? `${t.name} ${t.version ?? ''}`.trim() : `${t.name}: not installed`,
  );
  const header = [
    `## Engine benchmark, ${machine.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} logical cores, ${machine.memoryGiB} GiB; Node ${machine.node}; ${machine.platform}; ` +
      `load average at start ${machine.loadAverage.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)} (other work on the machine makes times noisy).`,
    `Peers: ${[cvText, ...toolText].join(' · ')}.`,
    '',
    'In-process rows: the same decoded inputs in memory, work only; median of ' +
      `${plans.memorial.runs} (memorial) / ${plans['synthetic-12mp'].runs} (12 MP) timed runs after one warm-up ` +
      '(ours: this Node process, single-threaded JS; OpenCV: Python, cv2 with its own threads). ' +
      'Process rows: whole commands with their own I/O (our CLI `node bin/bracketeer.js …` vs the peer), ' +
      'median wall time (memorial: after one warm-up run; 12 MP: no warm-up, the files were just written). ' +
      'A run that took > 15 s is timed once (see note). ' +
      'Ratio = ours/peer; ✗ marks a miss of the aim (≤ 1.5× OpenCV, < 1× pfstmo / Luminance HDR / enfuse). ' +
      'Agreement: HDR merges PSNR-μ (μ = 5000, both divided by the peer’s max, over samples some frame exposes); display images PSNR on [0, 1] ' +
      '(OpenCV tone mappers’ gamma-1 output sRGB-encoded first); response curve PSNR of ln f⁻¹ (codes 1…254, peak = our ln range). ' +
      'Where parameters or pipelines differ (pfstmo, Luminance HDR and enfuse defaults), agreement is indicative only.',
  ];
  const stats = rows.filter((r) => ratio(r) !== undefined);
  const misses = stats.filter((r) => meetsAim(r) === false).length;
  const footer = [
    '',
    `${stats.length} comparisons with both times; ${misses} miss the aim. Total run time ${((performance.now() - t0) / 60000).toFixed(1)} min.`,
    ...notes.map((n) => `Note: ${n}`),
  ];
  process.stdout.write(`${[...header, '', markdownTable(rows), ...footer].join('\n')}\n`);

  const outDir = path.join(ROOT, 'bench-results');
  if (!existsSync(outDir)) await mkdir(outDir, { recursive: true });
  const jsonFile = path.join(outDir, `engine-${machine.date.slice(0, 19).replace(/:/g, '-')}.json`);
  await writeFile(
    jsonFile,
    JSON.stringify(
      {
        machine,
        args,
        plans,
        opencv: opencv ?? null,
        tools,
        inputs,
        notes,
        rows: rows.map((r) => ({ ...r, ratio: ratio(r), meetsAim: meetsAim(r) })),
        totalMs: performance.now() - t0,
      },
      null,
      2,
    ),
  );
  log(`wrote ${path.relative(ROOT, jsonFile)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench:engine failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
