import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO = resolve(import.meta.dirname, '../..');
export const SHARED = resolve(REPO, '../shared/data');
export const MEMORIAL = resolve(SHARED, 'brackets/memorial');
export const HAS_MEMORIAL = existsSync(resolve(MEMORIAL, 'shutter_times.txt'));

/** Builds the CLI bundle from the current sources (esbuild, about a second). */
export async function buildCli(): Promise<void> {
  await run(process.execPath, [resolve(REPO, 'scripts/build-cli.mjs')], { cwd: REPO });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bracketeer <args>` as a user would, through bin/bracketeer.js. */
export async function cli(args: string[], cwd = REPO): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [resolve(REPO, 'bin/bracketeer.js'), ...args],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}
