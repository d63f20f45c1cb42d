/**
 * Command-line entry (bundled and run by scripts/ship-model.mjs): exports a weights manifest's
 * model to ONNX beside it and checks the graphs against TensorFlow.js (cpu) on a random
 * 64×64 input, encode and render at EV −2.5 and +1.5 (max abs ≤ 1e-4, else exit 1).
 * Prints the model.json `onnx` record as JSON with the measured difference under `parity`.
 *
 *   node out/onnx-export.js --weights <model folder>/weights.json --out <model folder>
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mulberry32, uniform } from '../../camera/rng.js';
import { loadModel } from '../store/index.js';
import { writeOnnxFiles } from './files.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createOrtTileModel } from './ort-runner.js';

const PARITY_TOL = 1e-4;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { weights: { type: 'string' }, out: { type: 'string' } },
  });
  if (!values.weights || !values.out) {
    throw new Error('usage: --weights <weights.json> --out <folder>');
  }
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const { model } = await loadModel(values.weights);
  const record = await writeOnnxFiles(model, values.out);
  const bytes = async (file: string): Promise<Uint8Array> =>
    new Uint8Array(await readFile(path.join(values.out!, file)));
  const ort = await createOrtTileModel({
    encode: await bytes(record.encode.file),
    renderUp: await bytes(record.renderUp.file),
    renderDown: await bytes(record.renderDown.file),
    needsInput: record.needsInput,
    priorInput: false,
    stride: record.stride,
  });
  const n = 64;
  const rng = mulberry32(1);
  const x = Float32Array.from({ length: n * n * 3 }, () => uniform(rng, 0, 1));
  const xt = tf.tensor4d(x, [1, n, n, 3]);
  const lat = model.encode(xt);
  const latData = (await lat.data()) as Float32Array;
  // ONNX Runtime on worker threads takes over the buffers it is given: pass copies
  const own = (a: Float32Array): Float32Array => (ort.takesInputs ? a.slice() : a);
  let diff = maxAbs(latData, await ort.encode(own(x), 1, n, n));
  for (const ev of [-2.5, 1.5]) {
    const y = model.render(lat, ev, model.needsInput ? xt : undefined);
    diff = Math.max(
      diff,
      maxAbs((await y.data()) as Float32Array, await ort.render(own(latData), ev, own(x), 1, n, n)),
    );
    y.dispose();
  }
  await ort.release();
  model.dispose();
  process.stdout.write(`${JSON.stringify({ ...record, parity: { maxAbs: diff, size: n } })}\n`);
  if (!(diff <= PARITY_TOL)) {
    process.stderr.write(`ONNX parity failed: max abs ${diff} > ${PARITY_TOL}\n`);
    process.exit(1);
  }
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
