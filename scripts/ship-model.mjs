// Ships a trained multi-exposure model: copies a run's best weights into
// resources/models/<id>/ (weights.bin + weights.json), writes the descriptor model.json (with the
// weights' SHA-256, which the loader verifies), evaluates the shipped model with the CLI on the
// real Memorial stack and on the held-out synthetic stacks, and writes the model card README.md.
//
//   node scripts/ship-model.mjs --run training/runs/lite [--id multi-exposure-lite]
//     [--hdr-dir ../shared/data/hdr] [--memorial ../shared/data/brackets/memorial]
//     [--lineage FILE]   Markdown inserted under "Training" (how the run's initial weights came to
//                        be, when it started from an earlier run)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeBundleOptions } from './esbuild-node.mjs';

const { values } = parseArgs({
  options: {
    run: { type: 'string' },
    id: { type: 'string', default: 'multi-exposure-lite' },
    'hdr-dir': { type: 'string', default: '../shared/data/hdr' },
    memorial: { type: 'string', default: '../shared/data/brackets/memorial' },
    lineage: { type: 'string' },
  },
});
if (!values.run) {
  process.stderr.write('usage: node scripts/ship-model.mjs --run <run folder> [--id ID]\n');
  process.exit(2);
}
const run = values.run;
const id = values.id;
const dir = join('resources', 'models', id);
mkdirSync(dir, { recursive: true });

const writeAtomic = (file, text) => {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

// 1. weights
const manifest = readJson(join(run, 'best', 'model.json'));
const bin = readFileSync(join(run, 'best', manifest.weightsFile));
const sha256 = createHash('sha256').update(bin).digest('hex');
if (sha256 !== manifest.sha256) throw new Error(`${run}/best: weights do not match their manifest`);
copyFileSync(join(run, 'best', manifest.weightsFile), join(dir, 'weights.bin'));
writeAtomic(
  join(dir, 'weights.json'),
  `${JSON.stringify({ ...manifest, weightsFile: 'weights.bin' }, null, 1)}\n`,
);
const configName = manifest.meta.config.name;

// 1b. ONNX graphs beside the weights (encode, render-up, render-down; opset 17), exported from
// the copied weights and checked against TensorFlow.js (max abs ≤ 1e-4) by the exporter
await build(nodeBundleOptions('src/core/model/onnx/export-main.ts', 'out/onnx/onnx-export.js'));
const onnx = JSON.parse(
  execFileSync(
    process.execPath,
    ['out/onnx/onnx-export.js', '--weights', join(dir, 'weights.json'), '--out', dir],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ),
);
const { parity: onnxParity, ...onnxRecord } = onnx;
writeAtomic(
  join(dir, 'model.json'),
  `${JSON.stringify(
    {
      id,
      architecture: 'multi-exposure',
      config: configName,
      weights: 'weights.json',
      sha256,
      onnx: onnxRecord,
      description: `Multi-exposure generation (Le et al., WACV 2023), ${configName} config, trained on synthetic brackets`,
    },
    null,
    2,
  )}\n`,
);

// 2. training facts from the run
const state = readJson(join(run, 'checkpoint.json'));
const log = readFileSync(join(run, 'train-log.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const start = log.find((r) => r.type === 'start');
const validations = log.filter((r) => r.type === 'validation');

// 3. evaluation with the shipped model, through the CLI
const cli = (args) =>
  execFileSync(process.execPath, ['bin/bracketeer.js', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
// evaluation outputs stay out of the shipped folder (it is packaged with the app)
const evalDir = mkdtempSync(join(tmpdir(), `bracketeer-ship-${id}-`));
const t0 = Date.now();
const memorial = cli([
  'eval',
  '--stack',
  values.memorial,
  '--reference',
  'memorial0067.png',
  '--model',
  id,
  '-o',
  join(evalDir, 'memorial.md'),
  '--side-by-side',
  join(evalDir, 'memorial'),
]);
const synthetic = cli([
  'eval',
  '--synthetic',
  '--hdr-dir',
  values['hdr-dir'],
  '--model',
  id,
  '-o',
  join(evalDir, 'synthetic.md'),
]);
const evalSeconds = (Date.now() - t0) / 1000;
const table = (text) => text.slice(text.indexOf('\n\n') + 2).trim();

// 4. the card
const s = state.settings;
const params = start.parameters;
const hours = (state.trainSeconds / 3600).toFixed(2);
const valRows = validations
  .map((v) => {
    const per = ['-3', '-2', '-1', '1', '2', '3'].map((k) => v.perOffset[k].toFixed(2)).join(' | ');
    return `| ${v.step} | ${per} | ${v.meanPsnr.toFixed(2)} |`;
  })
  .join('\n');
const config = manifest.meta.config;
const outputText =
  config.outputPrior === 'srgb-scaling'
    ? `N2/N3 output (tanh(F + P)+1)/2 where P = atanh(2·v'−1) is the pre-activation of the naive
sRGB exposure change v' of the input frame (the *exposure prior*, an addition to the paper: an
untrained N2/N3 renders naive exposure scaling and training learns the camera-specific
correction; their last layer starts at zero)`
    : 'N2/N3 output (tanh+1)/2';
// Runs from before the setting existed trained with the masked form.
const masked = s.reconstructionMask ?? true;
const reconText = masked
  ? "L1 reconstruction masked by the target's Λ"
  : 'L1 reconstruction over all pixels';
const lineage = values.lineage ? `\n${readFileSync(values.lineage, 'utf8').trim()}\n` : '';
const card = `# ${id}

Virtual exposure brackets from one photo: method 1 of the design (Le et al., *Single-Image HDR
Reconstruction by Multi-Exposure Generation*, WACV 2023) — the HDR Encoding Net N1 maps the
masked photo to a latent exposure, the latent is scaled by 2^EV, and the Up-/Down-Exposure Nets
N2/N3 render the new exposure. Any real EV in [−4, +4].

## Files

| file | what | SHA-256 |
| --- | --- | --- |
| \`weights.bin\` | float32 little-endian weights (${(bin.byteLength / 1e6).toFixed(2)} MB) | \`${sha256}\` |
| \`weights.json\` | tensor names, shapes, offsets; the same SHA-256 | — |
| \`model.json\` | descriptor: id, config, weights file and SHA-256 (checked on every load) | — |
${['encode', 'renderUp', 'renderDown']
  .map((k) => {
    const r = onnxRecord[k];
    const what = {
      encode: 'N1 + mask + latent',
      renderUp: 'N2 (EV ≥ 0)',
      renderDown: 'N3 (EV < 0)',
    }[k];
    return `| \`${r.file}\` | ONNX opset ${onnxRecord.opset}, ${what}, NHWC I/O, batch norm folded (${(r.bytes / 1e6).toFixed(2)} MB) | \`${r.sha256}\` |`;
  })
  .join('\n')}

The ONNX graphs are exported from \`weights.bin\` (max abs difference to TensorFlow.js
${onnxParity.maxAbs.toExponential(1)} on a ${onnxParity.size}×${onnxParity.size} input); inference runs on ONNX Runtime when it loads.

## Architecture

Config \`${configName}\`: N1 widths ${JSON.stringify(manifest.meta.config.n1.widths)}, N2/N3 widths
${JSON.stringify(manifest.meta.config.n23.widths)}, two conv3×3+BN+LeakyReLU(0.2) per block,
pixel-unshuffle stem (level 0 at half resolution), average pooling down, sub-pixel (pixel shuffle)
up, skip concatenation; N1 output (tanh(F)+I+1)/3 on the input masked with the soft mask Λ
(τ = ${config.maskTau}); ${outputText}. ${params.toLocaleString('en-US')} trainable parameters.
Stride 16 (inputs are reflect-padded); tiled inference with overlap and margin-feathered seams.

## Training

- Data: synthetic exposure pairs from the HDR images in \`../shared/data/hdr\` (Poly Haven CC0,
  OpenEXR sample images BSD-3-Clause): perspective crops of the panoramas, flips/rotations,
  white-balance and saturation jitter, a random camera response per sample (parametric
  camera-like families, steeper than sRGB), random base exposure, clipping, 8-bit quantisation,
  JPEG round trip at random quality, shot and read noise.
- Split by scene (seed ${start.split.seed}): ${start.split.train.length} training images, ${start.split.validation.length} validation images
  (${start.split.validation.join(', ')}); ${start.split.excluded.length} excluded (${start.split.excluded.map((e) => e.relPath).join(', ') || 'none'}).
- Losses: representation loss Lh (log domain, λh ${s.lossWeights.h}), ${reconText}
  (λr ${s.lossWeights.r}), total variation (λtv ${s.lossWeights.tv}). No perceptual loss: no
  suitable feature network (VGG) can ship offline here.
- Adam, peak learning rate ${s.learningRate}, ${s.warmupSteps} warm-up steps, cosine decay to
  ${s.minLrFraction}× over ${s.steps} planned steps, gradient clipping at norm ${s.clipNorm}; batch ${s.batchSize} pairs of
  ${s.cropSize}×${s.cropSize} crops (each pair used in both directions).
- Trained ${state.step} steps (${state.samplesConsumed.toLocaleString('en-US')} pairs) in ${hours} h on the 2-core CPU with
  the tfjs wasm backend (2 threads); shipped weights: the best validation step, ${manifest.meta.step}.
${lineage}
Validation during training (mean PSNR in dB of each offset rendered from the EV 0 frame, ${validations[0]?.stacks ?? '?'}
held-out stacks of ${s.validationSize}×${s.validationSize}):

| step | −3 | −2 | −1 | +1 | +2 | +3 | mean |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${valRows}

## Evaluation

Measured with \`bracketeer eval\` (${evalSeconds.toFixed(0)} s in all). "naive": sRGB decode, ×2^EV, clip,
encode; "oracle": the stack's own Debevec response applied to the reference (the bound of a
perfect global curve). Targets: held-out synthetic ≥ 33 / 30 / 27 dB at ±1 / ±2 / ±3; Memorial
above naive at every offset and within 1 dB of the oracle at +EV.

### Real bracket: Memorial Church (reference memorial0067.png, 0.5 s)

${table(memorial)}

Side-by-side images (reference | model | naive | oracle | real) are written by
\`bracketeer eval --stack … --side-by-side DIR\`.

### Held-out synthetic stacks

${table(synthetic)}
`;
writeAtomic(join(dir, 'README.md'), card);
process.stdout.write(`shipped ${id}: ${dir} (sha256 ${sha256}); side-by-sides in ${evalDir}\n`);
