import { writeFile } from 'node:fs/promises';
import { ImageWriteError } from '../../core/errors.js';
import { subProgress } from '../../core/job.js';
import {
  baselinePredictors,
  evaluateStack,
  evaluateSynthStacks,
  loadRealStack,
  markdownTable,
  realEvalStack,
  resultToJson,
  rightHalf,
  writeSideBySides,
  type EvalResult,
  type FramePredictor,
} from '../../core/model/eval/index.js';
import type { MultiExposureModel } from '../../core/model/architectures/multi-exposure/model.js';
import { makeValidationStacks } from '../../core/model/data/batch.js';
import { loadHdrDataset } from '../../core/model/data/hdr-source.js';
import { generateBracket } from '../../core/model/inference/tiled-bracket.js';
import { DEFAULT_MODEL_ID, loadModel } from '../../core/model/store/index.js';
import type { Command } from '../command.js';
import { numberOption, stringOption } from '../frames.js';
import { RUNTIME_OPTIONS, RUNTIME_USAGE, startRuntime } from '../model-runtime.js';
import { UsageError } from '../usage-error.js';

/** Sample seed of the evaluation stacks (distinct from the training run's validation stacks). */
const EVAL_STACK_SEED = 2_000_003;

function modelPredictor(model: MultiExposureModel): FramePredictor {
  return async (reference, evs) => {
    const frames = await generateBracket(model, reference, evs);
    return frames.map((f) => f.data);
  };
}

export const evaluate: Command = {
  name: 'eval',
  summary: 'score the virtual-bracket model against real or held-out synthetic brackets',
  usage: `Usage: bracketeer eval (--stack DIR | --synthetic --hdr-dir DIR) [options]

From the reference frame, renders every offset ±1, ±2, ±3 EV with the model, the naive sRGB
scaling baseline and the oracle-CRF bound (the stack's own Debevec response), and reports PSNR
and SSIM per offset and the HDR merge of each virtual bracket (PSNR-μ, PU21 PSNR) against the
real stack's HDR (or the ground truth for synthetic stacks). Prints a Markdown table.

  --stack DIR          a real bracket: frames + shutter_times.txt or EXIF exposure times
  --reference FILE     the reference frame's file name (default: the median exposure)
  --right-half         score only the right half of the frames (the model sees the whole)
  --synthetic          the held-out synthetic stacks made from --hdr-dir's validation scenes
  --hdr-dir DIR        HDR images (e.g. ../shared/data/hdr), split as the model's training was
  --per-image N        synthetic stacks per held-out image (default 4)
  --size PX            synthetic stack side (default 256)
  --model ID|FILE      shipped model id (default ${DEFAULT_MODEL_ID}) or a weights .json
  --no-model           baselines only
  --side-by-side DIR   write reference | methods | real PNGs per offset (real stacks)
  -o, --output FILE    also write the Markdown table (and FILE.json with --json)
${RUNTIME_USAGE}`,
  options: {
    stack: { type: 'string' },
    reference: { type: 'string' },
    'right-half': { type: 'boolean' },
    synthetic: { type: 'boolean' },
    'hdr-dir': { type: 'string' },
    'per-image': { type: 'string' },
    size: { type: 'string' },
    model: { type: 'string' },
    'no-model': { type: 'boolean' },
    'side-by-side': { type: 'string' },
    output: { type: 'string', short: 'o' },
    ...RUNTIME_OPTIONS,
  },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError('takes no positional arguments');
    const stackDir = stringOption(args, 'stack');
    const synthetic = args.values.synthetic === true;
    if ((stackDir ? 1 : 0) + (synthetic ? 1 : 0) !== 1) {
      throw new UsageError('give exactly one of --stack DIR or --synthetic');
    }
    const hdrDir = stringOption(args, 'hdr-dir');
    if (synthetic && !hdrDir) throw new UsageError('--synthetic needs --hdr-dir');
    const perImage = numberOption(args, 'per-image', 4, (v) => Number.isInteger(v) && v >= 1);
    const size = numberOption(args, 'size', 256, (v) => Number.isInteger(v) && v >= 32);
    const useModel = args.values['no-model'] !== true;
    const backend = useModel ? await startRuntime(args) : null;
    const loaded = useModel
      ? await loadModel(stringOption(args, 'model') ?? DEFAULT_MODEL_ID)
      : null;
    const extra: Record<string, FramePredictor> = loaded
      ? { model: modelPredictor(loaded.model) }
      : {};
    try {
      let result: EvalResult;
      if (stackDir) {
        const real = await loadRealStack(stackDir, {
          reference: stringOption(args, 'reference'),
          signal: ctx.signal,
        });
        const stack = realEvalStack(real, {}, { signal: ctx.signal });
        const sbs = stringOption(args, 'side-by-side');
        result = await evaluateStack(
          stack,
          { ...extra, ...baselinePredictors(stack) },
          {
            region:
              args.values['right-half'] === true
                ? rightHalf(stack.reference.width, stack.reference.height)
                : undefined,
            signal: ctx.signal,
            onProgress: ctx.onProgress,
            ...(sbs ? { onFrames: async (f) => void (await writeSideBySides(sbs, f)) } : {}),
          },
        );
      } else {
        // the model's own scene split (recorded in its weights), so its training images stay out
        const seed = Number(loaded?.meta.dataSeed ?? 1);
        const fraction = Number(loaded?.meta.validationFraction ?? 0.15);
        const data = await loadHdrDataset(hdrDir!, seed, fraction, { signal: ctx.signal });
        const stacks = await makeValidationStacks(
          data.validation,
          seed + EVAL_STACK_SEED,
          perImage,
          { size },
          undefined,
          { signal: ctx.signal, onProgress: subProgress(ctx.onProgress, 0, 0.1) },
        );
        const { aggregate } = await evaluateSynthStacks(
          stacks,
          (stack) => ({ ...extra, ...baselinePredictors(stack) }),
          { signal: ctx.signal, onProgress: subProgress(ctx.onProgress, 0.1, 0.9) },
        );
        result = aggregate;
      }
      const table = markdownTable(result);
      const out = stringOption(args, 'output');
      if (out) {
        try {
          await writeFile(out, `${table}\n`);
          if (ctx.json) await writeFile(`${out}.json`, `${resultToJson(result)}\n`);
        } catch (err) {
          throw new ImageWriteError(out, (err as Error).message);
        }
      }
      const head = loaded
        ? `model ${loaded.id} (sha256 ${loaded.sha256.slice(0, 12)}…), backend ${backend?.name}`
        : 'baselines only';
      return {
        text: `${head}\n\n${table}`,
        data: JSON.parse(resultToJson(result)) as unknown,
      };
    } finally {
      loaded?.model.dispose();
    }
  },
};
