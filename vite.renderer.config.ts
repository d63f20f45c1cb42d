/**
 * Builds the renderer (src/renderer) for a plain browser into out/renderer, where
 * `bracketeer serve` serves it under a strict CSP (no inline script or style): Svelte's
 * component CSS is emitted as files (`emitCss`), and no inline module-preload polyfill is added.
 * Run with `npm run build:renderer`.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: resolve('src/renderer'),
  base: './',
  plugins: [svelte({ emitCss: true })],
  build: {
    outDir: resolve('out/renderer'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
    rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
  },
});
