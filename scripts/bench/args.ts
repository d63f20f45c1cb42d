/** Command-line options of the engine benchmark. */

/** Parsed options. */
export interface BenchArgs {
  /** Memorial only, 3 runs. */
  readonly quick: boolean;
  /**
   * Only operations whose "<operation> <input id>" (e.g. "tonemap drago03 synthetic-12mp")
   * contains every space-separated word of this (case-insensitive).
   */
  readonly only?: string;
  /** Keep the temporary folder (inputs and every output) instead of deleting it. */
  readonly keep: boolean;
  /** Skip the 12-MP input even without --quick. */
  readonly no12mp: boolean;
}

export const USAGE = `Usage: npm run bench:engine -- [--quick] [--only <substring>] [--keep] [--no-12mp]

  --quick            memorial stack only, 3 timed runs per operation
  --only "W …"       only operations whose "<operation> <input>" contains every word W
                     (operations: calibrate-debevec, merge-debevec, merge-robertson,
                     fuse-mertens, tonemap <op>; inputs: memorial, synthetic-12mp;
                     e.g. --only drago, --only merge, --only "mantiuk06 synthetic")
  --keep             keep the temporary folder with every input and output
  --no-12mp          skip the 12-MP synthetic stack`;

/** Parses argv (without node and the script). */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let keep = false;
  let no12mp = false;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--keep') keep = true;
    else if (a === '--no-12mp') no12mp = true;
    else if (a === '--only' && i + 1 < argv.length) only = argv[++i].toLowerCase();
    else if (a.startsWith('--only=')) only = a.slice(7).toLowerCase();
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`bench:engine: unknown option "${a}"\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return { quick, keep, no12mp, ...(only ? { only } : {}) };
}
