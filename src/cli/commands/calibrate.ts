import { calibrateDebevec } from '../../core/camera/debevec-calibrate.js';
import { calibrateRobertson } from '../../core/camera/robertson-calibrate.js';
import type { InverseResponse } from '../../core/camera/response.js';
import { writeFileAtomic } from '../../core/io/index.js';
import type { Command } from '../command.js';
import {
  TIMES_OPTIONS,
  TIMES_USAGE,
  framesTimes,
  numberOption,
  readFrames,
  stringOption,
} from '../frames.js';
import { UsageError } from '../usage-error.js';

/** Debevec or Robertson calibration of the frames' camera response. */
export function calibrateFrames(
  method: string,
  frames: Parameters<typeof calibrateDebevec>[0],
  times: number[],
  settings: { samples?: number; lambda?: number },
  job: Parameters<typeof calibrateDebevec>[3],
): InverseResponse & { residual: number } {
  if (method === 'debevec') return calibrateDebevec(frames, times, settings, job);
  if (method === 'robertson') return calibrateRobertson(frames, times, {}, job);
  throw new UsageError(`--method must be debevec or robertson, got "${method}"`);
}

export const calibrate: Command = {
  name: 'calibrate',
  summary: 'recover the camera response curve from a bracket',
  usage: `Usage: bracketeer calibrate <frames…> [-o curve.json] [options]

  --method debevec|robertson   calibration method (default debevec)
  --samples N                  Debevec: sample pixels (default 70)
  --lambda L                   Debevec: smoothness weight (default 10)
  -o, --output curve.json      write the inverse response (use it with merge --response)
${TIMES_USAGE}`,
  options: {
    ...TIMES_OPTIONS,
    method: { type: 'string' },
    samples: { type: 'string' },
    lambda: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run(args, ctx) {
    const files = args.positionals;
    const method = stringOption(args, 'method') ?? 'debevec';
    const settings = {
      samples: numberOption(args, 'samples', 70, (v) => Number.isInteger(v) && v >= 2),
      lambda: numberOption(args, 'lambda', 10, (v) => Number.isFinite(v) && v >= 0),
    };
    const frames = await readFrames(files);
    const times = await framesTimes(files, args);
    const response = calibrateFrames(method, frames, times, settings, ctx);
    const curve = {
      source: response.source,
      residual: response.residual,
      times,
      files,
      inverse: response.inverse.map((c) => Array.from(c, (v) => +v.toPrecision(7))),
    };
    const out = stringOption(args, 'output');
    if (out) await writeFileAtomic(out, Buffer.from(JSON.stringify(curve, null, 1)));
    const at = (z: number): string => response.inverse.map((c) => c[z].toPrecision(4)).join(' / ');
    const text = [
      `${method} response from ${files.length} frames, fit residual ${response.residual.toFixed(4)}`,
      `  relative exposure (R / G / B) at code 16: ${at(16)}, 64: ${at(64)}, 128: ${at(128)}, 192: ${at(192)}, 240: ${at(240)}`,
      out ? `  written to ${out}` : '  (use -o curve.json to save it)',
    ].join('\n');
    return { text, data: curve };
  },
};
