// `npm run bench:engine`: bundles the benchmark (scripts/bench/*.ts, with the core it imports)
// into out/bench/bench-engine.js, then runs it with --expose-gc (a GC between timed runs).
// Options pass through: node scripts/bench-engine.mjs [--quick] [--only <substring>] [--keep]
import { build } from 'esbuild';
import { spawn } from 'node:child_process';

await build({
  entryPoints: ['scripts/bench/main.ts'],
  outfile: 'out/bench/bench-engine.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

const child = spawn(
  process.execPath,
  ['--expose-gc', '--enable-source-maps', 'out/bench/bench-engine.js', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
child.on('close', (code) => process.exit(code ?? 1));
