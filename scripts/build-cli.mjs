// Bundles the headless CLI (src/cli) into out/cli/bracketeer.js, and the model worker thread that
// `bracketeer serve` starts into out/cli/bracket-worker.js, and the fine-tuning worker into
// out/cli/finetune-worker.js (see esbuild-node.mjs).
import { build } from 'esbuild';
import { nodeBundleOptions } from './esbuild-node.mjs';

await Promise.all([
  build(nodeBundleOptions('src/cli/index.ts', 'out/cli/bracketeer.js')),
  build(nodeBundleOptions('src/main/services/jobs/bracket-worker.ts', 'out/cli/bracket-worker.js')),
  build(
    nodeBundleOptions('src/main/services/jobs/finetune-worker.ts', 'out/cli/finetune-worker.js'),
  ),
]);
