import { parseArgs } from 'node:util';
import { BracketeerError, CancelledError } from '../core/errors.js';
import type { Command, CommandResult } from './command.js';
import { commands } from './commands/index.js';
import { ProgressBar } from './progress-bar.js';
import { UsageError } from './usage-error.js';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: bracketeer <command> [options]\n\nCommands:\n${list}\n\nGlobal options: --json (machine-readable output), -q/--quiet (no progress bar), -h/--help\nRun 'bracketeer help <command>' for a command's options.`;
}

function findCommand(name: string): Command {
  const cmd = commands.find((c) => c.name === name);
  if (!cmd)
    throw new UsageError(
      `unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}`,
    );
  return cmd;
}

/**
 * Runs the CLI. Returns the exit code: 0 ok, 1 failed, 2 bad usage.
 * Writes results to stdout, errors (one line) and the progress bar to stderr.
 */
export async function runCli(argv: string[], signal: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${topUsage()}\n`);
    return name ? 0 : 2;
  }
  if (name === 'help') {
    process.stdout.write(`${rest[0] ? findCommandSafe(rest[0]) : topUsage()}\n`);
    return 0;
  }
  let json = rest.includes('--json');
  const bar = new ProgressBar(process.stderr, rest.includes('--quiet') || rest.includes('-q'));
  try {
    const cmd = findCommand(name);
    const parsed = parseArgs({
      args: glueNegativeValues(rest, cmd.options),
      options: { ...GLOBAL_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true,
    });
    json = parsed.values.json === true;
    if (parsed.values.help) {
      process.stdout.write(`${cmd.usage}\n`);
      return 0;
    }
    const result: CommandResult = await cmd.run(
      { values: parsed.values, positionals: parsed.positionals },
      { json, signal, onProgress: bar.update },
    );
    bar.done();
    process.stdout.write(json ? `${JSON.stringify(result.data, null, 2)}\n` : `${result.text}\n`);
    return 0;
  } catch (err) {
    bar.done();
    return reportError(err, json, name);
  }
}

/**
 * parseArgs refuses a value that starts with '-' ("--ev -1,1", "--exposure -2"). No option name
 * starts with a digit or '.', so an argument that looks like a negative number right after a
 * long string option is glued to it ("--ev=-1,1"). Arguments after "--" are left alone.
 */
function glueNegativeValues(args: readonly string[], options: Command['options']): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return out.concat(args.slice(i));
    const next = args[i + 1];
    const name = /^--[^=]+$/.test(a) ? a.slice(2) : '';
    if (next !== undefined && /^-[\d.]/.test(next) && options[name]?.type === 'string') {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function findCommandSafe(name: string): string {
  const cmd = commands.find((c) => c.name === name);
  return cmd ? cmd.usage : topUsage();
}

function reportError(err: unknown, json: boolean, name: string): number {
  const usage = err instanceof UsageError || isParseArgsError(err);
  const message = oneLine(err instanceof Error ? err.message : String(err));
  const code = usage ? 2 : 1;
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: message, exitCode: code }, null, 2)}\n`);
  }
  const hint = usage ? ` (see 'bracketeer help ${name}')` : '';
  const prefix = err instanceof CancelledError ? 'cancelled' : 'error';
  process.stderr.write(`bracketeer ${name}: ${prefix}: ${message}${hint}\n`);
  if (!usage && !(err instanceof BracketeerError) && process.env.BRACKETEER_DEBUG) {
    process.stderr.write(`${(err as Error).stack ?? ''}\n`);
  }
  return code;
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
