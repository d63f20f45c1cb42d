/**
 * Whether glibc's malloc in this process asks for transparent huge pages: the GLIBC_TUNABLES
 * entry that bin/huge-pages.mjs adds when the `bracketeer` launcher starts the CLI on Linux.
 * @param env - the process environment (read at start-up by glibc; changing it later does nothing)
 */
export function mallocHugePages(env: NodeJS.ProcessEnv = process.env): boolean {
  return /(^|:)glibc\.malloc\.hugetlb=[12]($|:)/.test(env.GLIBC_TUNABLES ?? '');
}

/** One line for reports: which pages malloc uses, and how to change it. */
export function mallocPagesLine(env: NodeJS.ProcessEnv = process.env): string {
  if (mallocHugePages(env)) return 'transparent huge pages (GLIBC_TUNABLES glibc.malloc.hugetlb)';
  if (process.platform !== 'linux') return 'system default';
  return env.BRACKETEER_HUGEPAGES === '0'
    ? '4-KiB pages (BRACKETEER_HUGEPAGES=0)'
    : '4-KiB pages (start through bin/bracketeer.js for huge pages)';
}
