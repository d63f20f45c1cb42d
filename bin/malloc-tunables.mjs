// glibc malloc settings for processes that run the model, shared by the `bracketeer` launcher
// and the model benchmark. glibc (≥ 2.35) reads GLIBC_TUNABLES only when a process starts, so a
// process that wants them must be started with them. Other C libraries ignore them.
//
// - Transparent huge pages (glibc.malloc.hugetlb=1). ONNX Runtime's memory arenas, its output
//   tensors and the tiled inference's frames are fresh memory for every bracket; faulting them
//   in 4-KiB pages cost 0.9 M page faults and about 2 s of a 12-MP bracket on the development
//   machine (a VM), against 0.15 M faults with huge pages (README, "Model benchmark").
// - A fixed mmap threshold of 4 MiB (glibc.malloc.mmap_threshold). By default glibc raises the
//   threshold (up to 32 MiB) each time a large block is freed, after which tile-sized buffers
//   come from the heap, which fragments and is not given back: the resident memory of a 24-MP
//   `bracketeer bracket` crept up through the run. Peak RSS measured on the development machine,
//   24-MP JPEG photo: 16-bit TIFF frames 1252–1444 MiB without, 1178–1239 MiB with; JPEG frames
//   1278–1385 MiB without, 1201–1340 MiB with. 12-MP brackets took as long either way (12.3–12.5
//   s, alternating runs); a 1-MiB threshold was 3–4 % slower for no lower peak.

/** The GLIBC_TUNABLES entries this module adds, each unless the variable already sets it. */
export const MALLOC_TUNABLES = ['glibc.malloc.hugetlb=1', 'glibc.malloc.mmap_threshold=4194304'];

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
