import {
  DEFAULT_TRAIN_SETTINGS,
  trainModel,
  type TrainEvent,
  type TrainSettings,
} from '../../core/model/train/index.js';
import type { LossWeights } from '../../core/model/architectures/multi-exposure/losses.js';
import { CONFIGS } from '../../core/model/architectures/multi-exposure/config.js';
import type { Command } from '../command.js';
import { stringOption } from '../frames.js';
import { RUNTIME_OPTIONS, RUNTIME_USAGE, startRuntime } from '../model-runtime.js';
import { UsageError } from '../usage-error.js';

const d = DEFAULT_TRAIN_SETTINGS;

function intOption(
  args: { values: Record<string, unknown> },
  key: string,
  min: number,
): number | undefined {
  const raw = args.values[key];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(v) || v < min) {
    throw new UsageError(`--${key} must be an integer ≥ ${min}, got "${String(raw)}"`);
  }
  return v;
}

function floatOption(args: { values: Record<string, unknown> }, key: string): number | undefined {
  const raw = args.values[key];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(v) || v <= 0) {
    throw new UsageError(`--${key} must be a positive number, got "${String(raw)}"`);
  }
  return v;
}

function describe(e: TrainEvent): string | null {
  switch (e.type) {
    case 'start':
      return e.note;
    case 'checkpoint':
      return `step ${e.step}: checkpoint ${e.folder}`;
    case 'validation': {
      const per = Object.entries(e.score.perOffset)
        .map(([ev, v]) => `${Number(ev) > 0 ? '+' : ''}${ev}:${v.toFixed(2)}`)
        .join(' ');
      return `step ${e.step}: validation PSNR mean ${e.score.meanPsnr.toFixed(2)} dB (${per})`;
    }
    case 'step':
      return `step ${e.step}: loss ${e.result.total.toFixed(4)} (h ${e.result.h.toFixed(4)} r ${e.result.r.toFixed(4)} tv ${e.result.tv.toFixed(4)}) lr ${e.lr.toExponential(2)} ${e.stepsPerSecond.toFixed(2)} steps/s`;
  }
}

/** Parses `--loss-weights H,R,TV` (three finite numbers ≥ 0). */
export function lossWeightsOption(raw: string | undefined): LossWeights | undefined {
  if (raw === undefined) return undefined;
  const v = raw.split(',').map((t) => Number(t.trim()));
  if (v.length !== 3 || v.some((x) => !Number.isFinite(x) || x < 0)) {
    throw new UsageError(`--loss-weights must be three numbers ≥ 0 (H,R,TV), got "${raw}"`);
  }
  return { h: v[0], r: v[1], tv: v[2] };
}

export const train: Command = {
  name: 'train',
  summary: 'train the virtual-bracket model on synthetic brackets from HDR images',
  usage: `Usage: bracketeer train --hdr-dir DIR --run DIR [options]

Trains the multi-exposure model (Le et al.) on exposure pairs synthesised from the HDR images
(scene-split into train/validation). Writes to the run folder: checkpoint.json and
checkpoints/ (atomic, every --checkpoint-every steps), best/model.* (best validation PSNR),
train-log.jsonl (loss, learning rate, steps/s, validation PSNR per EV offset).
Ctrl-C (or SIGTERM) stops after the current step and saves a checkpoint there.

  --hdr-dir DIR            folder of .hdr/.exr images (e.g. ../shared/data/hdr)
  --run DIR                run folder (created if missing)
  --resume                 continue the run in --run from its last checkpoint
  --config NAME            ${Object.keys(CONFIGS).join(' | ')} (default ${d.config})
  --steps N                planned steps; the LR schedule ends here (default ${d.steps})
  --batch N                pairs per step (default ${d.batchSize})
  --crop PX                training crop side (default ${d.cropSize})
  --lr X                   peak learning rate (default ${d.learningRate})
  --warmup N               warm-up steps (default ${d.warmupSteps})
  --seed N                 data seed: split, crops, cameras (default ${d.seed})
  --checkpoint-every N     (default ${d.checkpointEvery})
  --validate-every N       0 = never (default ${d.validateEvery})
  --validation-size PX     validation stack side (default ${d.validationSize})
  --max-minutes M          stop with a checkpoint after M minutes of this session
  --init-weights FILE      start a fresh run from these weights (a weights .json manifest)
  --loss-weights H,R,TV     weights of the representation, reconstruction and total-variation
                           losses (default ${d.lossWeights.h},${d.lossWeights.r},${d.lossWeights.tv})
  --recon-mask             weight the reconstruction loss by the target's well-exposedness
                           mask (off by default: clipped target pixels are supervised too)
${RUNTIME_USAGE}`,
  options: {
    'hdr-dir': { type: 'string' },
    run: { type: 'string' },
    resume: { type: 'boolean' },
    config: { type: 'string' },
    steps: { type: 'string' },
    batch: { type: 'string' },
    crop: { type: 'string' },
    lr: { type: 'string' },
    warmup: { type: 'string' },
    seed: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'validate-every': { type: 'string' },
    'validation-size': { type: 'string' },
    'max-minutes': { type: 'string' },
    'init-weights': { type: 'string' },
    'recon-mask': { type: 'boolean' },
    'loss-weights': { type: 'string' },
    ...RUNTIME_OPTIONS,
  },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError('takes no positional arguments');
    const hdrDir = stringOption(args, 'hdr-dir');
    const runDir = stringOption(args, 'run');
    if (!hdrDir) throw new UsageError('missing --hdr-dir');
    if (!runDir) throw new UsageError('missing --run');
    const settings: Partial<TrainSettings> = {
      config: stringOption(args, 'config'),
      steps: intOption(args, 'steps', 1),
      batchSize: intOption(args, 'batch', 1),
      cropSize: intOption(args, 'crop', 16),
      learningRate: floatOption(args, 'lr'),
      warmupSteps: intOption(args, 'warmup', 0),
      seed: intOption(args, 'seed', 0),
      checkpointEvery: intOption(args, 'checkpoint-every', 1),
      validateEvery: intOption(args, 'validate-every', 0),
      validationSize: intOption(args, 'validation-size', 16),
      reconstructionMask: args.values['recon-mask'] === true ? true : undefined,
      lossWeights: lossWeightsOption(stringOption(args, 'loss-weights')),
    };
    const maxMinutes = floatOption(args, 'max-minutes');
    const backend = await startRuntime(args);
    const verbose = !ctx.json;
    const tty = process.stderr.isTTY === true;
    const result = await trainModel({
      hdrDir,
      runDir,
      settings,
      resume: args.values.resume === true,
      initWeights: stringOption(args, 'init-weights'),
      maxSeconds: maxMinutes !== undefined ? maxMinutes * 60 : undefined,
      signal: ctx.signal,
      onProgress: ctx.onProgress,
      onEvent: (e) => {
        if (!verbose) return;
        // On a terminal the progress bar shows every step; in a log file, every 10th.
        if (e.type === 'step' && (tty || e.step % 10 !== 0)) return;
        const line = describe(e);
        if (line) process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
      },
    });
    const v = result.lastValidation;
    const lines = [
      `${result.stoppedBy === 'done' ? 'finished' : `stopped (${result.stoppedBy})`} at step ${result.step}; checkpoint ${result.checkpoint.folder} in ${runDir}`,
      `backend ${backend.name} (${backend.threads} threads), ${result.stepsPerSecond.toFixed(3)} steps/s this session, ${(result.checkpoint.trainSeconds / 3600).toFixed(2)} h of training in all`,
      ...(v
        ? [`last validation: mean PSNR ${v.meanPsnr.toFixed(2)} dB over ${v.stacks} stacks`]
        : []),
      ...(result.checkpoint.best
        ? [
            `best validation: ${result.checkpoint.best.meanPsnr.toFixed(2)} dB at step ${result.checkpoint.best.step} (${runDir}/best/model.json)`,
          ]
        : []),
    ];
    return { text: lines.join('\n'), data: { ...result, backend } };
  },
};
