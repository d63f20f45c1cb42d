/**
 * Carries trained multi-exposure weights to a config that differs only in its U-Net widths, or
 * whose sub-pixel upsampling became nearest-neighbour (retarget-widths.ts), and saves them as
 * initial weights for `bracketeer train --init-weights`.
 *
 *   node scripts/retarget-weights.mjs <trained weights .json> <target config> <output base>
 */
import '@tensorflow/tfjs-backend-cpu';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CONFIGS,
  type MultiExposureConfig,
} from '../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../src/core/model/architectures/multi-exposure/model.js';
import {
  retargetMultiExposure,
  type WeightTensor,
} from '../../src/core/model/architectures/multi-exposure/retarget-widths.js';
import {
  applyWeights,
  decodeWeights,
  readManifest,
  saveWeights,
} from '../../src/core/model/nn/weights-io.js';

async function main(): Promise<void> {
  const [source, targetName, outBase] = process.argv.slice(2);
  if (!source || !targetName || !outBase) {
    throw new Error(
      'usage: retarget-weights <trained weights .json> <target config> <output base>',
    );
  }
  const to = CONFIGS[targetName];
  if (!to)
    throw new Error(`unknown config ${targetName} (known: ${Object.keys(CONFIGS).join(', ')})`);
  const manifest = await readManifest(source);
  const from = (manifest.meta as { config?: MultiExposureConfig } | undefined)?.config;
  if (!from) throw new Error(`${source}: the manifest does not record its model config`);
  const bin = new Uint8Array(await readFile(path.join(path.dirname(source), manifest.weightsFile)));
  const trained = decodeWeights(manifest, bin, source);
  const model = createMultiExposureModel(to, 1);
  const initial = new Map<string, WeightTensor>(
    model.params
      .list()
      .map((e) => [
        e.name,
        { shape: e.variable.shape, data: e.variable.dataSync() as Float32Array },
      ]),
  );
  const mapped = retargetMultiExposure(from, to, trained, initial);
  applyWeights(
    model.params,
    new Map([...mapped].map(([k, v]) => [k, { shape: [...v.shape], data: v.data }])),
  );
  await saveWeights(outBase, model.params, { config: to, retargetedFrom: source });
  process.stdout.write(
    `${from.name} → ${to.name}: ${model.params.count(true)} trainable parameters, saved ${outBase}.json\n`,
  );
  model.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
