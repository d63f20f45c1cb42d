/**
 * `bracketeer serve` as a child process for the browser tests: start it (with extra CLI arguments
 * such as --data-dir) and wait for the URL it prints, stop it with Ctrl-C (SIGKILL after 3 s
 * unless told otherwise).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO } from '../integration/server/helpers.js';

/** A running server: its page URL (with the token) and the process. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
}

/**
 * Starts `bracketeer serve --port 0` from the built CLI with `env`, followed by the extra CLI
 * arguments `args` (e.g. `['--data-dir', dir]`); rejects when no URL comes in 30 s (and kills the
 * process then) or when it exits first.
 */
export function startServe(
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/bracketeer.js', 'serve', '--port', '0', ...args], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not print a URL: ${out}${err}`));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

/**
 * Stops a server with SIGINT, and SIGKILL when it has not exited after `killAfterMs` ms
 * (default 3000). Does nothing for `null` or a process that has already exited.
 */
export async function stopServe(child: ChildProcess | null, killAfterMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, killAfterMs))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
