import type { ParseArgsConfig } from 'node:util';

/** Everything a command needs from the CLI shell. */
export interface CommandContext {
  /** Print machine-readable JSON instead of text. */
  readonly json: boolean;
  /** Cancelled on Ctrl-C. */
  readonly signal: AbortSignal;
  /** Progress callback (draws a bar on a TTY after one second). */
  readonly onProgress: (p: { fraction: number; message?: string }) => void;
}

/** The outcome of a command: the text for people and the object for `--json`. */
export interface CommandResult {
  readonly text: string;
  readonly data: unknown;
}

/** Parsed arguments as node:util parseArgs returns them. */
export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** One CLI sub-command. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage lines shown by `bracketeer help <name>` and on usage errors. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, ctx: CommandContext): Promise<CommandResult>;
}
