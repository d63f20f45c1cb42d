// Transparent huge pages for glibc's malloc, shared by the `bracketeer` launcher and the model
// benchmark. glibc (≥ 2.35) reads GLIBC_TUNABLES only when a process starts, so a process that
// wants them must be started with it. ONNX Runtime's memory arenas, its output tensors and the
// tiled inference's frames are fresh memory for every bracket; faulting them in 4-KiB pages cost
// 0.9 M page faults and about 2 s of a 12-MP bracket on the development machine (a VM), against
// 0.15 M faults with huge pages (README, "Model benchmark"). Other C libraries ignore the tunable.

/** The glibc tunable that makes malloc ask for transparent huge pages. */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * The environment a child process should get for huge pages: `env` with the tunable added, or
 * null when there is nothing to do (not Linux, already set, or turned off with
 * BRACKETEER_HUGEPAGES=0).
 * @param {NodeJS.ProcessEnv} env
 * @param {string} platform
 * @returns {NodeJS.ProcessEnv | null}
 */
export function hugePagesEnv(env = process.env, platform = process.platform) {
  if (platform !== 'linux' || env.BRACKETEER_HUGEPAGES === '0') return null;
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.includes('glibc.malloc.hugetlb')) return null;
  return {
    ...env,
    GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE,
  };
}
