import { CancelledError } from '../../core/errors.js';
import {
  DEFAULT_FINETUNE_SETTINGS,
  finetuneModel,
  type FinetuneEvent,
  type FinetuneSettings,
} from '../../core/model/finetune/index.js';
import { DEFAULT_MODEL_ID, userModelsDirectory } from '../../core/model/store/locate.js';
import type { Command, ParsedArgs } from '../command.js';
import { stringOption } from '../frames.js';
import { RUNTIME_OPTIONS, RUNTIME_USAGE, startRuntime } from '../model-runtime.js';
import { UsageError } from '../usage-error.js';

const d = DEFAULT_FINETUNE_SETTINGS;

function intOption(args: ParsedArgs, key: string, min: number): number | undefined {
  const raw = stringOption(args, key);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) {
    throw new UsageError(`--${key} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return v;
}

function rangeOption(
  args: ParsedArgs,
  key: string,
  ok: (v: number) => boolean,
  what: string,
): number | undefined {
  const raw = stringOption(args, key);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !ok(v)) {
    throw new UsageError(`--${key} must be ${what}, got "${raw}"`);
  }
  return v;
}

const psnrList = (per: Readonly<Record<string, number>>) =>
  Object.entries(per)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([ev, v]) => `${Number(ev) > 0 ? '+' : ''}${ev}:${v.toFixed(2)}`)
    .join(' ');

function describe(e: FinetuneEvent): string | null {
  switch (e.type) {
    case 'stack': {
      const s = e.stack;
      const moved = s.shifts.filter(([dx, dy]) => dx !== 0 || dy !== 0).length;
      return `stack ${s.name}: ${s.frames} frames ${s.width}×${s.height}, ${s.camera ?? 'camera not recorded'}, reference ${s.referenceFile}, ${moved ? `MTB shifts (dx,dy px) ${s.shifts.map(([dx, dy]) => `${dx},${dy}`).join(' ')}` : 'no MTB shift'}, ghost ${(100 * s.ghostFraction).toFixed(2)} %, ${s.crops} training crops (${s.ghostCrops} dropped for ghosts)`;
    }
    case 'start':
      return e.note;
    case 'validation':
      return `step ${e.step}: held-out PSNR mean ${e.score.meanPsnr.toFixed(2)} dB (${psnrList(e.score.perOffset)})${e.improved ? ' best' : ` (best: step ${e.bestStep})`}`;
    case 'early-stop':
      return `step ${e.step}: no improvement since step ${e.bestStep}: stopping early`;
    case 'checkpoint':
      return `step ${e.step}: checkpoint ${e.folder}`;
    case 'saved':
      return `saved ${e.id}: ${e.dir}`;
    case 'step': {
      const eta = Number.isFinite(e.etaSeconds) ? `${Math.round(e.etaSeconds)} s` : '—';
      return `step ${e.step}: loss ${e.result.total.toFixed(4)} lr ${e.lr.toExponential(2)} ${e.stepsPerSecond.toFixed(2)} steps/s ETA ${eta}`;
    }
  }
}

export const finetune: Command = {
  name: 'finetune',
  summary: 'fine-tune the virtual-bracket model on your own exposure stacks (your camera)',
  usage: `Usage: bracketeer finetune <stack folders or files…> --out ID [options]

Teaches a model your camera: starting from --from, trains on random crops and frame pairs from
the left part of every stack (frames aligned with MTB; crops over moving things are left out)
and validates every --validate-every steps on the held-out right part (PSNR per EV offset, as
\`bracketeer eval --stack DIR --right-half\`), stopping early when it stops improving. Writes a
NEW model folder <models>/ID (weights of the best step, model.json, camera-response.json and a
README.md card with the before/after table); the base model is not changed. Use it with
\`--model ID\` in bracket and eval. A folder with shutter_times.txt is one stack; other folders
and files are grouped into stacks by EXIF.
Ctrl-C stops cleanly: no model folder is written (with --run, a checkpoint is kept there and
--resume continues).

  --out ID               id (folder name) of the new model
  --from ID|FILE         base model (default ${DEFAULT_MODEL_ID})
  --models-dir DIR       where the new model goes (default ${userModelsDirectory()})
  --steps N              planned steps (default ${d.steps})
  --lr X                 peak learning rate (default ${d.learningRate})
  --batch N              pairs per step (default ${d.batchSize})
  --crop PX              crop side, a multiple of the model stride (default ${d.cropSize})
  --holdout F            share of each stack's width held out on the right (default ${d.holdoutFraction})
  --validate-every N     steps between validations (default ${d.validateEvery})
  --patience N           validations without improvement before stopping (default ${d.patience})
  --seed N               sampling seed (default ${d.seed})
  --max-frame-ev EV      train only on frames within EV stops of the reference (default ${d.maxFrameEv})
  --update-bn-stats      let training update the batch-norm statistics (default: kept)
  --run DIR              keep checkpoints in DIR (pause/resume); default: a temporary folder
  --resume               continue the job in --run
${RUNTIME_USAGE}`,
  options: {
    out: { type: 'string' },
    from: { type: 'string' },
    'models-dir': { type: 'string' },
    steps: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    crop: { type: 'string' },
    holdout: { type: 'string' },
    'validate-every': { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string' },
    'max-frame-ev': { type: 'string' },
    'update-bn-stats': { type: 'boolean' },
    run: { type: 'string' },
    resume: { type: 'boolean' },
    ...RUNTIME_OPTIONS,
  },
  async run(args, ctx) {
    if (args.positionals.length === 0)
      throw new UsageError('give one or more stack folders or files');
    const id = stringOption(args, 'out');
    if (!id) throw new UsageError("missing --out ID (the new model's id)");
    const runDir = stringOption(args, 'run');
    if (args.values.resume === true && !runDir) throw new UsageError('--resume needs --run DIR');
    const validateEvery = intOption(args, 'validate-every', 1);
    const settings: Partial<FinetuneSettings> = {
      steps: intOption(args, 'steps', 1),
      learningRate: rangeOption(args, 'lr', (v) => v > 0, 'a positive number'),
      batchSize: intOption(args, 'batch', 1),
      cropSize: intOption(args, 'crop', 1),
      holdoutFraction: rangeOption(args, 'holdout', (v) => v > 0 && v < 1, 'a number in (0, 1)'),
      validateEvery,
      checkpointEvery: validateEvery,
      patience: intOption(args, 'patience', 1),
      seed: intOption(args, 'seed', 0),
      maxFrameEv: rangeOption(
        args,
        'max-frame-ev',
        (v) => v >= 0.5 && v <= 8,
        'a number in [0.5, 8]',
      ),
      freezeBatchNorm: args.values['update-bn-stats'] === true ? false : undefined,
    };
    const backend = await startRuntime(args);
    const verbose = !ctx.json;
    const tty = process.stderr.isTTY === true;
    const result = await finetuneModel({
      inputs: args.positionals,
      from: stringOption(args, 'from'),
      id,
      modelsDir: stringOption(args, 'models-dir'),
      runDir,
      resume: args.values.resume === true,
      settings,
      signal: ctx.signal,
      onProgress: ctx.onProgress,
      onEvent: (e) => {
        if (!verbose) return;
        // On a terminal the progress bar shows every step; in a log, every 10th.
        if (e.type === 'step' && (tty || e.step % 10 !== 0)) return;
        const line = describe(e);
        if (line) process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
      },
    });
    if (result.stoppedBy === 'cancelled') {
      throw new CancelledError(
        `stopped at step ${result.step}; no model written${result.runDir ? `; continue with --run ${result.runDir} --resume` : ''}`,
      );
    }
    for (const n of result.notes) process.stderr.write(`note: ${n}\n`);
    const lines = [
      `${result.model!.id}: ${result.model!.dir} (sha256 ${result.model!.sha256.slice(0, 12)}…)`,
      `${result.stoppedBy === 'early-stop' ? 'stopped early' : 'finished'} at step ${result.step}; saved the weights of step ${result.bestStep}${result.bestStep === 0 ? ' (no step beat the base model)' : ''}`,
      `backend ${backend.name} (${backend.threads} threads), ${result.stepsPerSecond.toFixed(2)} steps/s, ${result.wallSeconds.toFixed(1)} s in all, ${result.cropSize}-px crops`,
      '',
      'Held-out PSNR (dB):',
      '',
      result.table,
    ];
    return { text: lines.join('\n'), data: { ...result, backend } };
  },
};
