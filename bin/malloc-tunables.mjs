// glibc malloc settings for processes that run the model, shared by the `bracketeer` launcher
// and the model benchmark. glibc (≥ 2.35) reads GLIBC_TUNABLES only when a process starts, so a
// process that wants them must be started with them. Other C libraries ignore them.
//
// - Transparent huge pages (glibc.malloc.hugetlb=1). ONNX Runtime's memory arenas, its output
//   tensors and the tiled inference's frames are fresh memory for every bracket; faulting them
//   in 4-KiB pages cost 0.9 M page faults and about 2 s of a 12-MP bracket on the development
//   machine (a VM), against 0.15 M faults with huge pages (README, "Model benchmark").
// - One malloc arena for all threads (glibc.malloc.arena_max=1). glibc otherwise gives threads
//   arenas of their own; the ONNX Runtime workers allocate tiles that the main thread frees, and
//   each arena holds on to its own free memory. Measured on the development machine, a 24-MP
//   `bracketeer bracket` peaked at 1234–1379 MiB in seven runs (16-bit TIFF and JPEG frames)
//   against 1252–1444 MiB with per-thread arenas, and ran 3–8 % faster (12 MP: 9.6–9.8 s
//   against 10.3 s, alternating runs). A fixed mmap threshold (4 MiB) lowered the peak as much
//   but made renders 2–15 % slower: every tile buffer a fresh mapping, faulted in each time.

/** The GLIBC_TUNABLES entries this module adds, each unless the variable already sets it. */
export const MALLOC_TUNABLES = ['glibc.malloc.hugetlb=1', 'glibc.malloc.arena_max=1'];

/**
 * The environment a child process should get for {@link MALLOC_TUNABLES}: `env` with the
 * missing ones added to GLIBC_TUNABLES, or null when there is nothing to do (not Linux, all
 * already set, or turned off with BRACKETEER_MALLOC_TUNING=0).
 * @param {NodeJS.ProcessEnv} env
 * @param {string} platform
 * @returns {NodeJS.ProcessEnv | null}
 */
export function mallocTunablesEnv(env = process.env, platform = process.platform) {
  if (platform !== 'linux' || env.BRACKETEER_MALLOC_TUNING === '0') return null;
  const tunables = env.GLIBC_TUNABLES ?? '';
  const set = new Set(tunables.split(':').map((t) => t.split('=')[0]));
  const missing = MALLOC_TUNABLES.filter((t) => !set.has(t.split('=')[0]));
  if (missing.length === 0) return null;
  return { ...env, GLIBC_TUNABLES: [tunables, ...missing].filter(Boolean).join(':') };
}
