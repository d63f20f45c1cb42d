import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The engine's TensorFlow.js packages are bundled, not loaded from node_modules: tfjs-core's
// gradient registry is published as ESM with extension-less imports that Node cannot load
// (the same reason scripts/esbuild-node.mjs bundles them for the CLI).
const bundledDeps = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: bundledDeps },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The model worker thread (src/main/index.ts starts out/main/bracket-worker.js).
          'bracket-worker': resolve('src/main/services/jobs/bracket-worker.ts'),
          // The fine-tuning worker thread (out/main/finetune-worker.js).
          'finetune-worker': resolve('src/main/services/jobs/finetune-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot load modules: one self-contained CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [svelte()],
  },
});
