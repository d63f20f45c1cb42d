/**
 * How glibc's malloc runs in this process: the GLIBC_TUNABLES entries that bin/malloc-tunables.mjs
 * adds when the `bracketeer` launcher starts the CLI on Linux (transparent huge pages, one
 * arena), read back for `bracketeer doctor` and the benchmarks. glibc reads the variable
 * at start-up only; changing it later does nothing.
 */

/** The value GLIBC_TUNABLES gives `name` (e.g. 'glibc.malloc.hugetlb'), or null. */
function tunable(env: NodeJS.ProcessEnv, name: string): string | null {
  for (const entry of (env.GLIBC_TUNABLES ?? '').split(':')) {
    const eq = entry.indexOf('=');
    if (eq > 0 && entry.slice(0, eq) === name) return entry.slice(eq + 1);
  }
  return null;
}

/** Whether malloc asks for transparent huge pages (glibc.malloc.hugetlb 1 or 2). */
export function mallocHugePages(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = tunable(env, 'glibc.malloc.hugetlb');
  return v === '1' || v === '2';
}

/** The most malloc arenas (glibc.malloc.arena_max), or null when glibc chooses (its default). */
export function mallocArenaMax(env: NodeJS.ProcessEnv = process.env): number | null {
  const v = Number(tunable(env, 'glibc.malloc.arena_max') ?? NaN);
  return Number.isInteger(v) && v > 0 ? v : null;
}

/** One line for reports: how malloc runs, and how to change it. */
export function mallocTuningLine(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform !== 'linux') return 'system default';
  const arenas = mallocArenaMax(env);
  const parts = [
    mallocHugePages(env) ? 'transparent huge pages' : '4-KiB pages',
    arenas === null ? 'arenas per thread' : `at most ${arenas} arena${arenas > 1 ? 's' : ''}`,
  ];
  const how =
    env.BRACKETEER_MALLOC_TUNING === '0'
      ? 'BRACKETEER_MALLOC_TUNING=0'
      : mallocHugePages(env) || arenas !== null
        ? 'GLIBC_TUNABLES'
        : 'start through bin/bracketeer.js to tune it';
  return `${parts.join(', ')} (${how})`;
}
