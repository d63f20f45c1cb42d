/** The model card (README.md) and the before/after table of a fine-tuned model. */
import type { CameraProfile } from './camera-profile.js';
import { finetuneSchedule, type FinetuneSettings } from './settings.js';
import type { HoldoutScore } from './validation.js';

/** One stack as the card lists it. */
export interface StackSummary {
  readonly name: string;
  /** folder of the first frame */
  readonly folder: string;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  readonly camera: string | null;
  readonly timesFrom: string;
  readonly referenceFile: string;
  /** MTB shift per frame, [dx, dy] pixels */
  readonly shifts: readonly (readonly [number, number])[];
  /** share of ghost pixels in the training columns */
  readonly ghostFraction: number;
  /** crop positions usable / dropped for ghosts */
  readonly crops: number;
  readonly ghostCrops: number;
}

/** Everything the card reports. */
export interface CardFacts {
  readonly id: string;
  readonly baseModel: string;
  readonly baseSha256: string;
  readonly config: string;
  readonly stacks: readonly StackSummary[];
  readonly settings: FinetuneSettings;
  readonly cropSize: number;
  readonly stepsDone: number;
  readonly bestStep: number;
  readonly stoppedBy: string;
  readonly wallSeconds: number;
  readonly stepsPerSecond: number;
  readonly before: HoldoutScore;
  readonly after: HoldoutScore;
  readonly baselines: Readonly<Record<string, HoldoutScore>>;
  readonly profile: CameraProfile;
  readonly createdAt: string;
}

const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(2));
const sign = (o: string) => (Number(o) > 0 ? `+${o}` : o);

/**
 * Markdown table of held-out PSNR per offset: base model, fine-tuned, their difference, and any
 * baselines, with a mean row.
 */
export function beforeAfterTable(
  before: HoldoutScore,
  after: HoldoutScore,
  baselines: Readonly<Record<string, HoldoutScore>> = {},
): string {
  const offsets = [...new Set([...Object.keys(before.perOffset), ...Object.keys(after.perOffset)])]
    .map(Number)
    .sort((a, b) => a - b)
    .map(String);
  const names = Object.keys(baselines);
  const head = `| offset (EV) | base model | fine-tuned | Δ |${names.map((n) => ` ${n} |`).join('')}`;
  const rule = `| ---: | ---: | ---: | ---: |${names.map(() => ' ---: |').join('')}`;
  const row = (label: string, b?: number, a?: number, extra: (number | undefined)[] = []) =>
    `| ${label} | ${fmt(b)} | ${fmt(a)} | ${
      a !== undefined && b !== undefined ? `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}` : '—'
    } |${extra.map((v) => ` ${fmt(v)} |`).join('')}`;
  const rows = offsets.map((o) =>
    row(
      sign(o),
      before.perOffset[o],
      after.perOffset[o],
      names.map((n) => baselines[n].perOffset[o]),
    ),
  );
  rows.push(
    row(
      'mean',
      before.meanPsnr,
      after.meanPsnr,
      names.map((n) => baselines[n].meanPsnr),
    ),
  );
  return [head, rule, ...rows].join('\n');
}

/** The README.md of a fine-tuned model. */
export function renderCard(f: CardFacts, sha256: string): string {
  const s = f.settings;
  const stackRows = f.stacks
    .map(
      (st) =>
        `| ${st.name} | \`${st.folder}\` | ${st.frames} | ${st.width}×${st.height} | ${st.camera ?? 'not recorded'} | ${st.timesFrom} | ${st.referenceFile} | ${st.shifts
          .map(([dx, dy]) => `${dx},${dy}`)
          .join(
            ' ',
          )} | ${(100 * st.ghostFraction).toFixed(2)} % | ${st.crops} (${st.ghostCrops} dropped) |`,
    )
    .join('\n');
  const heldPct = Math.round(100 * s.holdoutFraction);
  const improved = f.bestStep > 0;
  return `# ${f.id}

A fine-tune of \`${f.baseModel}\` (config \`${f.config}\`, weights SHA-256 \`${f.baseSha256}\`) on
the user's own exposure stacks, made with \`bracketeer finetune\` on ${f.createdAt}.

## Files

| file | what |
| --- | --- |
| \`weights.bin\` | float32 little-endian weights, SHA-256 \`${sha256}\` (checked on every load) |
| \`weights.json\` | tensor names, shapes, offsets; the same SHA-256 |
| \`model.json\` | descriptor: id, config, SHA-256, \`kind: fine-tune\`, \`baseModel\`, the figures below |
| \`camera-response.json\` | camera profile: Debevec inverse response of the stacks |

## Source stacks

| stack | folder | frames | size | camera | times from | reference | MTB shift per frame (dx,dy px) | ghost pixels (training side) | training crops |
| --- | --- | ---: | --- | --- | --- | --- | --- | ---: | ---: |
${stackRows}

## Training

- Spatial hold-out: the right ${heldPct} % of every stack's width is never trained on; validation
  scores only those columns (the model sees the whole reference, as \`bracketeer eval\` does).
- Pairs: random ${f.cropSize}×${f.cropSize} crops (stride-aligned) from the training columns, random frame pairs
  within ±${s.maxPairEv} EV of each other and ±${s.maxFrameEv} EV of the reference (ratio from the exposure times), the same flip/rotation applied to both
  frames; crops with more than ${(100 * s.maxGhostFraction).toFixed(1)} % ghost pixels (frames disagreeing with the
  reference after the stack's own response, σ ${s.ghostSigma}) are never used; seed ${s.seed}.
- The base model's losses and training step; Adam, peak LR ${s.learningRate}, ${finetuneSchedule(s).warmupSteps} warm-up steps, then cosine decay to
  ${s.minLrFraction}×, batch ${s.batchSize}, gradient clip ${s.clipNorm}; batch-norm statistics ${s.freezeBatchNorm ? 'kept from the base model' : 'updated'}.
- ${f.stepsDone} of ${s.steps} planned steps in ${f.wallSeconds.toFixed(1)} s (${f.stepsPerSecond.toFixed(2)} steps/s), stopped: ${f.stoppedBy}.
  Validation every ${s.validateEvery} steps, early-stopping patience ${s.patience} (min. gain ${s.minImprovementDb} dB).
- Shipped weights: the best validation step, **${f.bestStep}**${improved ? '' : " — no step beat the base model, so these are the base model's weights"}.

## Held-out PSNR (dB) per offset

Mean over the stacks that have the offset, on the held-out columns; "profile" is the camera
profile alone: the reference rendered through the response calibrated on the stack's training
columns (a perfect global curve, no network); "naive" scales in sRGB.

${beforeAfterTable(f.before, f.after, f.baselines)}

Reproduce: \`bracketeer eval --stack <folder> --right-half --model ${f.id}\` (hold-out 0.5; the
numbers agree when the stack needed no alignment shift).

## Camera profile

Camera: ${f.profile.key ?? 'not recorded (or stacks from several cameras)'}; Debevec response fitted on the
training columns of each stack, residual ${f.profile.residual.toFixed(4)} (weighted RMS, ln exposure units; per stack: ${f.profile.stacks
    .map((p) => `${p.name} ${p.residual.toFixed(4)}`)
    .join(', ')}).
`;
}
