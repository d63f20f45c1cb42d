import { alignMtb } from '../../core/hdr/align-mtb.js';
import { mergeDebevec } from '../../core/hdr/merge-debevec.js';
import { mergeRobertson } from '../../core/hdr/merge-robertson.js';
import { subProgress } from '../../core/job.js';
import { writeImage } from '../../core/io/index.js';
import type { Command } from '../command.js';
import {
  TIMES_OPTIONS,
  TIMES_USAGE,
  framesTimes,
  readFrames,
  readResponseFile,
  requireOutput,
  stringOption,
} from '../frames.js';
import { UsageError } from '../usage-error.js';
import { calibrateFrames } from './calibrate.js';

export const merge: Command = {
  name: 'merge',
  summary: 'merge a bracket into an HDR radiance map (.exr or .hdr)',
  usage: `Usage: bracketeer merge <frames…> -o out.exr|out.hdr [options]

  --method debevec|robertson   merge (and calibration) method (default debevec)
  --response curve.json        use this response curve instead of calibrating one
  --align                      align frames first (median threshold bitmaps, translation)
  --deghost                    down-weight pixels that disagree with the middle exposure
  --float                      write 32-bit float EXR (default half)
${TIMES_USAGE}`,
  options: {
    ...TIMES_OPTIONS,
    method: { type: 'string' },
    response: { type: 'string' },
    align: { type: 'boolean' },
    deghost: { type: 'boolean' },
    float: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
  },
  async run(args, ctx) {
    const files = args.positionals;
    const out = requireOutput(args);
    if (!/\.(exr|hdr)$/i.test(out)) throw new UsageError('-o must end in .exr or .hdr');
    const method = stringOption(args, 'method') ?? 'debevec';
    if (method !== 'debevec' && method !== 'robertson') {
      throw new UsageError(`--method must be debevec or robertson, got "${method}"`);
    }
    let frames = await readFrames(files);
    const times = await framesTimes(files, args);
    const job = (start: number, span: number) => ({
      signal: ctx.signal,
      onProgress: subProgress(ctx.onProgress, start, span),
    });
    let shifts: [number, number][] | undefined;
    if (args.values.align) {
      const aligned = alignMtb(frames, job(0, 0.2));
      frames = aligned.frames;
      shifts = aligned.shifts;
    }
    const responseFile = stringOption(args, 'response');
    const response = responseFile
      ? await readResponseFile(responseFile)
      : calibrateFrames(method, frames, times, {}, job(0.2, 0.2));
    const mergeJob = { ...job(0.4, 0.45), deghost: args.values.deghost === true };
    const hdr =
      method === 'debevec'
        ? mergeDebevec(frames, times, response, mergeJob)
        : mergeRobertson(frames, times, response, mergeJob);
    await writeImage(out, hdr, { half: args.values.float !== true, ...job(0.85, 0.15) });
    const data = {
      output: out,
      width: hdr.width,
      height: hdr.height,
      frames: files.length,
      times,
      method,
      response: response.source,
      shifts,
    };
    const shiftText = shifts
      ? `\n  alignment shifts (dx,dy): ${shifts.map((s) => s.join(',')).join('  ')}`
      : '';
    return {
      text: `merged ${files.length} frames (${method}, response: ${response.source}) → ${out} ${hdr.width}×${hdr.height}${shiftText}`,
      data,
    };
  },
};
