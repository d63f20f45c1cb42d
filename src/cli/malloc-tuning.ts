/**
 * How glibc's malloc runs in this process: the GLIBC_TUNABLES entries that bin/malloc-tunables.mjs
 * adds when the `bracketeer` launcher starts the CLI on Linux (transparent huge pages, a fixed
 * mmap threshold), read back for `bracketeer doctor` and the benchmarks. glibc reads the variable
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

/**
 * The fixed mmap threshold in bytes (glibc.malloc.mmap_threshold), or null when glibc adjusts
 * it itself (its default).
 */
export function mallocMmapThreshold(env: NodeJS.ProcessEnv = process.env): number | null {
  const v = Number(tunable(env, 'glibc.malloc.mmap_threshold') ?? NaN);
  return Number.isInteger(v) && v >= 0 ? v : null;
}

/** One line for reports: how malloc runs, and how to change it. */
export function mallocTuningLine(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform !== 'linux') return 'system default';
  const threshold = mallocMmapThreshold(env);
  const parts = [
    mallocHugePages(env) ? 'transparent huge pages' : '4-KiB pages',
    threshold === null ? 'adaptive mmap threshold' : `mmap threshold ${mib(threshold)}`,
  ];
  const how =
    env.BRACKETEER_MALLOC_TUNING === '0'
      ? 'BRACKETEER_MALLOC_TUNING=0'
      : mallocHugePages(env) || threshold !== null
        ? 'GLIBC_TUNABLES'
        : 'start through bin/bracketeer.js to tune it';
  return `${parts.join(', ')} (${how})`;
}

function mib(bytes: number): string {
  return bytes % 1048576 === 0 ? `${bytes / 1048576} MiB` : `${bytes} B`;
}
