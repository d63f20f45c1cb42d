/**
 * Benchmarks every selected operation on one input: ours in-process, OpenCV in-process (one
 * Python process), then our CLI against each command-line peer, process to process.
 */
import path from 'node:path';
import type { FloatImage } from '../../src/core/image/image.js';
import {
  agreement,
  asImage,
  fileAgreement,
  informativeSamples,
  maskedMuLawPsnr,
  readRaw,
  writeRaw,
} from './agreement.js';
import type { BenchInput } from './inputs.js';
import { runOpenCv, type OpenCvPeer, type OpenCvResult } from './opencv.js';
import type { Operation } from './operations.js';
import { processPeers, type ToolInfo } from './processes.js';
import type { Row } from './report.js';
import { timeCall, timeProcess, type RunPlan, type Timing } from './timing.js';

/** What {@link benchmarkInput} needs besides the input. */
export interface InputContext {
  readonly ops: readonly Operation[];
  readonly plan: RunPlan;
  readonly opencv?: OpenCvPeer;
  readonly tools: readonly ToolInfo[];
  readonly log: (line: string) => void;
}

interface OursResult {
  readonly timing?: Timing;
  readonly file?: string;
  readonly shape?: { width: number; height: number; channels: 1 | 3 };
  readonly error?: string;
}

const slug = (id: string): string => id.replace(/[^a-z0-9]+/gi, '-');
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 160);

async function runOurs(op: Operation, input: BenchInput, plan: RunPlan): Promise<OursResult> {
  const file = path.join(input.dir, `ours-${slug(op.id)}.f32`);
  let shape: OursResult['shape'];
  try {
    const timing = await timeCall(
      () => op.run(input),
      plan,
      async (out: FloatImage) => {
        shape = { width: out.width, height: out.height, channels: out.channels };
        await writeRaw(file, out.data);
      },
    );
    return { timing, file, shape };
  } catch (e) {
    return { error: errText(e) };
  }
}

interface Agreement {
  readonly db?: number;
  readonly note?: string;
}

async function openCvAgreement(
  ours: OursResult,
  peer: OpenCvResult,
  op: Operation,
  input: BenchInput,
): Promise<Agreement> {
  if (!ours.file || !ours.shape || !('output' in peer) || !op.opencv) return {};
  const { width, height, channels } = ours.shape;
  const a = asImage(await readRaw(ours.file), width, height, channels);
  const b = asImage(await readRaw(peer.output), width, height, channels);
  if (b.data.length !== a.data.length)
    return { note: `OpenCV output shape ${peer.shape.join('×')}` };
  if (op.opencv.kind !== 'hdr') return { db: agreement(a, b, op.opencv.kind) };
  const mask = informativeSamples(input.frames);
  let clipped = 0;
  for (let i = 0; i < mask.length; i++) clipped += 1 - mask[i];
  const all = agreement(a, b, 'hdr');
  return {
    db: maskedMuLawPsnr(a, b, mask),
    note: `all pixels ${all.toFixed(1)} dB (${((100 * clipped) / mask.length).toFixed(1)} % of samples clipped in every frame)`,
  };
}

/** Runs the benchmark on one input and returns its rows. */
export async function benchmarkInput(input: BenchInput, ctx: InputContext): Promise<Row[]> {
  const { ops, plan, log } = ctx;
  const ours = new Map<string, OursResult>();
  for (const op of ops) {
    log(`  ours ${op.id} …`);
    const r = await runOurs(op, input, plan);
    ours.set(op.id, r);
    log(`  ours ${op.id}: ${r.timing ? secs(r.timing.median) : r.error}`);
  }
  const cvTasks = ops.filter((o) => o.opencv).map((o) => ({ id: slug(o.id), task: o.opencv! }));
  let cv = new Map<string, OpenCvResult>();
  if (ctx.opencv && cvTasks.length > 0) {
    log(`  OpenCV (${cvTasks.length} tasks) …`);
    cv = (await runOpenCv(ctx.opencv, input, cvTasks, plan)).results;
  }

  const rows: Row[] = [];
  const cliTimes = new Map<string, Timing | Error>();
  for (const op of ops) {
    const o = ours.get(op.id)!;
    const base = {
      operation: op.id,
      input: input.label,
      oursMs: o.timing?.median,
      oursRuns: o.timing?.runs,
    };
    const oursNote = o.error
      ? `ours failed: ${o.error}`
      : o.timing?.note
        ? `ours ${o.timing.note}`
        : '';
    if (op.opencv) {
      const label = `OpenCV ${op.opencv.call}`;
      const r = ctx.opencv ? cv.get(slug(op.id)) : undefined;
      if (!ctx.opencv) {
        rows.push({
          ...base,
          peer: 'OpenCV',
          mode: 'in-process',
          note: join('not installed (python3 with cv2)', oursNote),
        });
      } else if (!r || 'error' in r) {
        rows.push({
          ...base,
          peer: label,
          mode: 'in-process',
          note: join(`OpenCV failed: ${r ? r.error : 'no result'}`, oursNote),
        });
      } else {
        let agree: Agreement = {};
        try {
          agree = await openCvAgreement(o, r, op, input);
        } catch (e) {
          log(`  agreement ${op.id}: ${errText(e)}`);
        }
        rows.push({
          ...base,
          peer: label,
          peerMs: r.timing.median,
          peerRuns: r.timing.runs,
          mode: 'in-process',
          agreementDb: agree.db,
          agreementKind: op.opencv.kind,
          note: join(oursNote, r.timing.note ? `OpenCV ${r.timing.note}` : '', agree.note ?? ''),
        });
      }
    } else {
      rows.push({
        ...base,
        peer: '—',
        mode: 'in-process',
        note: join('no in-process peer', oursNote),
      });
    }

    for (const p of processPeers(op.id, input, ctx.tools)) {
      if ('missing' in p) {
        rows.push({
          operation: op.id,
          input: input.label,
          peer: p.peer,
          mode: 'process',
          note: `${p.missing} not installed`,
        });
        continue;
      }
      const c = p.case;
      log(`  process ${op.id}: ours CLI vs ${c.peer} …`);
      let mine = cliTimes.get(c.oursCmd);
      if (!mine) {
        mine = await timeProcess(c.oursCmd, plan).catch((e: unknown) =>
          e instanceof Error ? e : new Error(String(e)),
        );
        cliTimes.set(c.oursCmd, mine);
      }
      const theirs = await timeProcess(c.peerCmd, plan, c.env).catch((e: unknown) =>
        e instanceof Error ? e : new Error(String(e)),
      );
      let agree: number | undefined;
      if (!(mine instanceof Error) && !(theirs instanceof Error)) {
        agree = await fileAgreement(c.oursOut, c.peerOut).catch(() => undefined);
      }
      const notes = ['process-to-process (whole commands, I/O included)'];
      if (mine instanceof Error) notes.push(`ours CLI failed: ${errText(mine)}`);
      else if (mine.note) notes.push(`ours ${mine.note}`);
      if (theirs instanceof Error) notes.push(`peer failed: ${errText(theirs)}`);
      else if (theirs.note) notes.push(`peer ${theirs.note}`);
      rows.push({
        operation: op.id,
        input: input.label,
        oursMs: mine instanceof Error ? undefined : mine.median,
        oursRuns: mine instanceof Error ? undefined : mine.runs,
        peer: c.peer,
        peerMs: theirs instanceof Error ? undefined : theirs.median,
        peerRuns: theirs instanceof Error ? undefined : theirs.runs,
        mode: 'process',
        agreementDb: agree,
        agreementKind: agree === undefined ? undefined : 'display',
        note: notes.join('; '),
      });
      log(
        `    ours CLI ${mine instanceof Error ? 'failed' : secs(mine.median)}, ${c.peer} ${theirs instanceof Error ? `failed (${theirs.message})` : secs(theirs.median)}`,
      );
    }
  }
  return rows;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p).join('; ');
}
