// Training-step benchmark for the model runtime: a 4-level U-Net (16→128 channels, 3×3 convs,
// BN + LeakyReLU, strided-conv down, pixel-shuffle up, skip concat), batch 4×128²×3, L1 loss, Adam.
// Usage: node scripts/bench-train-step.mjs [--backend wasm|cpu] [--threads N] [--stock-input-grad]
//        [--steps N] [--size 128] [--batch 4]
// --stock-input-grad keeps tfjs's own wasm Conv2DBackpropInput (the "before" figure; tfjs has no
// wasm Conv2DBackpropFilter at all, so that one is always ours).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    'stock-input-grad': { type: 'boolean', default: false },
    steps: { type: 'string', default: '5' },
    size: { type: 'string', default: '128' },
    batch: { type: 'string', default: '4' },
  },
});

// inside node_modules so that the bundle resolves the external packages from the project
mkdirSync(join(process.cwd(), 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.cache', 'bracketeer-bench-'));
const out = join(dir, 'runtime.mjs');
// tfjs-core's gradient registrations exist only as extensionless ESM files (Node cannot import
// them directly): bundle them. tfjs keeps its engine and registries in a global namespace, so the
// bundled copy registers into the same registry as the external @tensorflow/tfjs-core.
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `import ${JSON.stringify(join(process.cwd(), 'node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js'))};\n` +
    `export * from ${JSON.stringify(join(process.cwd(), 'src/core/model/runtime/index.ts'))};\n`,
);
await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  absWorkingDir: process.cwd(),
  logLevel: 'warning',
});
// resolve packages from the project, not the temp folder
const { createRequire } = await import('node:module');
const require = createRequire(join(process.cwd(), 'package.json'));
const tf = require('@tensorflow/tfjs-core');
const rt = await import(out);

if (values['stock-input-grad']) rt.registerWasmTrainingKernels({ fastInputGradient: false });
const info = await rt.initBackend({
  prefer: values.backend,
  threads: values.threads ? Number(values.threads) : undefined,
});
console.log(`backend ${info.name}, threads ${info.threads}, SIMD ${info.simd}`);

const S = Number(values.size);
const B = Number(values.batch);
const widths = [16, 32, 64, 128];
let seed = 1;
const vars = [];
const conv = (cin, cout) => {
  const w = tf.variable(
    tf.randomNormal([3, 3, cin, cout], 0, Math.sqrt(2 / (9 * cin)), 'float32', seed++),
  );
  const g = tf.variable(tf.ones([cout]));
  const b = tf.variable(tf.zeros([cout]));
  vars.push(w, g, b);
  return { w, g, b };
};
const cba = (x, p, stride = 1) => {
  const h = tf.conv2d(x, p.w, stride, 'same');
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  return tf.leakyRelu(
    tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), p.g), p.b),
    0.2,
  );
};
const enc = [];
const dec = [];
let cin = 3;
for (let l = 0; l < widths.length; l++) {
  const c = widths[l];
  enc.push({ down: l > 0 ? conv(cin, c) : null, a: conv(l > 0 ? c : cin, c), b: conv(c, c) });
  cin = c;
}
for (let l = widths.length - 2; l >= 0; l--) {
  const c = widths[l];
  dec.push({ up: conv(widths[l + 1], 4 * c), a: conv(2 * c, c), b: conv(c, c) });
}
const wOut = tf.variable(tf.randomNormal([3, 3, widths[0], 3], 0, 0.05, 'float32', seed++));
vars.push(wOut);
const forward = (x) => {
  const skips = [];
  let h = x;
  for (const e of enc) {
    if (e.down) h = cba(h, e.down, 2);
    h = cba(cba(h, e.a), e.b);
    skips.push(h);
  }
  skips.pop();
  for (const d of dec) {
    h = tf.depthToSpace(cba(h, d.up), 2);
    h = cba(cba(tf.concat([h, skips.pop()], 3), d.a), d.b);
  }
  return tf.tanh(tf.conv2d(h, wOut, 1, 'same'));
};
const x = tf.randomUniform([B, S, S, 3], 0, 1, 'float32', 98);
const t = tf.randomUniform([B, S, S, 3], -1, 1, 'float32', 99);
const opt = tf.train.adam(1e-3);
const step = () => {
  const cost = opt.minimize(() => tf.mean(tf.abs(tf.sub(forward(x), t))), true, vars);
  const v = cost.dataSync()[0];
  cost.dispose();
  return v;
};
let t0 = performance.now();
step();
console.log(`first step ${(performance.now() - t0).toFixed(0)} ms`);
const n = Number(values.steps);
t0 = performance.now();
let loss = 0;
for (let i = 0; i < n; i++) loss = step();
const sec = (performance.now() - t0) / 1000;
console.log(
  `${n} steps in ${sec.toFixed(2)} s: ${(n / sec).toFixed(3)} steps/s (${((sec / n) * 1000).toFixed(0)} ms/step), loss ${loss.toFixed(4)}`,
);
process.exit(0);
