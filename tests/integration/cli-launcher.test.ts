/**
 * The `bracketeer` launcher (bin/bracketeer.js): on Linux it starts the CLI again with glibc's
 * malloc tuned (bin/malloc-tunables.mjs: transparent huge pages, one arena), passes
 * exit codes and signals through, and BRACKETEER_MALLOC_TUNING=0 keeps it in one process.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO } from './cli-helpers.js';

const run = promisify(execFile);
const BIN = resolve(REPO, 'bin/bracketeer.js');
const linux = process.platform === 'linux';
if (!linux)
  console.warn('cli-launcher.test: malloc tuning applies on Linux only; those checks skip');

beforeAll(async () => {
  await buildCli();
}, 120_000);

interface Malloc {
  mallocHugePages: boolean;
  mallocArenaMax: number | null;
}

async function doctor(env: NodeJS.ProcessEnv): Promise<Malloc> {
  const { GLIBC_TUNABLES: _drop, ...rest } = env;
  const { stdout } = await run(process.execPath, [BIN, 'doctor', '--json', '--backend', 'cpu'], {
    cwd: REPO,
    env: rest,
  });
  const { mallocHugePages, mallocArenaMax } = JSON.parse(stdout) as Malloc;
  return { mallocHugePages, mallocArenaMax };
}

describe('bin/bracketeer.js', () => {
  it.skipIf(!linux)('runs the CLI with malloc tuned, unless told not to', async () => {
    expect(await doctor(process.env)).toEqual({
      mallocHugePages: true,
      mallocArenaMax: 1,
    });
    expect(await doctor({ ...process.env, BRACKETEER_MALLOC_TUNING: '0' })).toEqual({
      mallocHugePages: false,
      mallocArenaMax: null,
    });
  });

  it('passes the exit code through', async () => {
    const err = await run(process.execPath, [BIN, 'no-such-command'], { cwd: REPO }).catch(
      (e: unknown) => e as { code: number; stderr: string },
    );
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/unknown command 'no-such-command'/);
  });

  it.skipIf(!linux)(
    'passes SIGTERM on to the CLI it started and ends with it',
    async () => {
      const launcher = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((ok, fail) => {
        launcher.stdout.on('data', (b: Buffer) => {
          if (b.toString().includes('serving on')) ok();
        });
        launcher.once('exit', () => fail(new Error('serve ended before it started')));
      });
      const children = execFileSync('pgrep', ['-P', String(launcher.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
      expect(children).toHaveLength(1);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
        launcher.once('exit', (code, signal) => ok({ code, signal })),
      );
      launcher.kill('SIGTERM');
      // serve stops cleanly on SIGTERM (exit 0); the launcher ends the way its child did
      expect(await exited).toEqual({ code: 0, signal: null });
      const alive = (pid: number): boolean => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      expect(alive(children[0])).toBe(false);
    },
    60_000,
  );
});
