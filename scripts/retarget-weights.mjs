// Bundles and runs scripts/training/retarget-main.ts: trained multi-exposure weights carried to a
// config that differs only in its U-Net widths (or whose sub-pixel upsampling became
// nearest-neighbour), saved as initial weights for a training run.
//   node scripts/retarget-weights.mjs <trained weights .json> <target config> <output base>
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { nodeBundleOptions } from './esbuild-node.mjs';

await build(
  nodeBundleOptions('scripts/training/retarget-main.ts', 'out/scripts/retarget-weights.js'),
);
const child = spawn(
  process.execPath,
  ['out/scripts/retarget-weights.js', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
child.on('close', (code) => process.exit(code ?? 1));
