// Shared esbuild settings for Node bundles of the engine (the CLI, the model benchmark).
// Dependencies stay external (resolved from node_modules at run time), except TensorFlow.js:
// tfjs-core's gradient registry is only published as ESM with extension-less imports, which plain
// Node cannot load, so the @tensorflow packages the engine uses are bundled from their ESM builds.
// Their globals (engine, kernel and gradient registries) are shared through the global object, so
// an optional tfjs-node backend loaded at run time still plugs into the same engine.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const bundled = new Set([
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
]);
const external = Object.keys({
  ...pkg.dependencies,
  ...pkg.optionalDependencies,
  ...pkg.devDependencies,
})
  .filter((name) => !bundled.has(name))
  .flatMap((name) => [name, `${name}/*`]);

/** esbuild options bundling `entry` into the ESM file `outfile` for Node 20. */
export function nodeBundleOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    external,
    // Bundled CommonJS code (tfjs's dependencies) may call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __bracketeerCreateRequire } from 'node:module'; const require = __bracketeerCreateRequire(import.meta.url);",
    },
    sourcemap: true,
    logLevel: 'warning',
  };
}
