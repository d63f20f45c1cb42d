// Bundles the headless CLI (src/cli) into out/cli/bracketeer.js (see esbuild-node.mjs).
import { build } from 'esbuild';
import { nodeBundleOptions } from './esbuild-node.mjs';

await build(nodeBundleOptions('src/cli/index.ts', 'out/cli/bracketeer.js'));
