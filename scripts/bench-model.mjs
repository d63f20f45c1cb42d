// `npm run bench:model`: bundles the model benchmark (scripts/bench/model-main.ts) and runs it.
// Options pass through: node scripts/bench-model.mjs [--sizes 1,12,24]
//   [--backends onnxruntime,wasm,cpu] [--peak-gflops G] …
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mallocTunablesEnv } from '../bin/malloc-tunables.mjs';
import { nodeBundleOptions } from './esbuild-node.mjs';

await build(nodeBundleOptions('scripts/bench/model-main.ts', 'out/bench/bench-model.js'));
const child = spawn(
  process.execPath,
  ['--expose-gc', '--enable-source-maps', 'out/bench/bench-model.js', ...process.argv.slice(2)],
  // malloc tuned as `bracketeer` runs (bin/malloc-tunables.mjs); BRACKETEER_MALLOC_TUNING=0: not
  { stdio: 'inherit', env: mallocTunablesEnv() ?? process.env },
);
child.on('close', (code) => process.exit(code ?? 1));
