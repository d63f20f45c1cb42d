#!/usr/bin/env node
// Launcher for the `bracketeer` command: runs the bundled CLI (built by `npm run build:cli`,
// which `npm ci` runs through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/bracketeer.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('bracketeer: the CLI is not built yet; run `npm run build:cli` first\n');
  process.exit(1);
}
await import(bundle);
