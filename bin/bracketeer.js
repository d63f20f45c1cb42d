#!/usr/bin/env node
// Launcher for the `bracketeer` command: runs the bundled CLI (built by `npm run build:cli`,
// which `npm ci` runs through the prepare script). On Linux it first starts itself again with
// glibc's malloc on transparent huge pages and in one arena (malloc-tunables.mjs);
// BRACKETEER_MALLOC_TUNING=0 turns that off.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mallocTunablesEnv } from './malloc-tunables.mjs';

const bundle = fileURLToPath(new URL('../out/cli/bracketeer.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('bracketeer: the CLI is not built yet; run `npm run build:cli` first\n');
  process.exit(1);
}

const env = mallocTunablesEnv();
if (env) {
  // The child gets a process group of its own, so that a Ctrl-C in the terminal reaches it once,
  // passed on from here like any other signal (a second SIGINT makes the CLI exit at once,
  // where the first one stops the job cleanly). The CLI never reads the terminal.
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env, detached: true },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (err) => {
    process.stderr.write(`bracketeer: cannot start ${process.execPath}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // end the way the child ended
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
} else {
  await import(bundle);
}
