import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the launcher's helper is plain JavaScript (bin/), without declarations
import { MALLOC_TUNABLES, mallocTunablesEnv } from '../../../bin/malloc-tunables.mjs';
import {
  mallocHugePages,
  mallocArenaMax,
  mallocTuningLine,
} from '../../../src/cli/malloc-tuning.js';

const tunablesEnv = mallocTunablesEnv as (
  env: NodeJS.ProcessEnv,
  platform: string,
) => NodeJS.ProcessEnv | null;

describe('mallocHugePages / mallocArenaMax', () => {
  it('read their glibc tunables among others, and nothing else', () => {
    expect(mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })).toBe(true);
    expect(
      mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2' }),
    ).toBe(true);
    expect(mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' })).toBe(false);
    expect(mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=10' })).toBe(false);
    expect(mallocHugePages({})).toBe(false);
    expect(
      mallocArenaMax({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1:glibc.malloc.arena_max=2' }),
    ).toBe(2);
    expect(mallocArenaMax({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=0' })).toBeNull();
    expect(mallocArenaMax({ GLIBC_TUNABLES: 'glibc.malloc.arena_test=1' })).toBeNull();
    expect(mallocArenaMax({})).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('are summed up in one line', () => {
    expect(
      mallocTuningLine({
        GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1',
      }),
    ).toBe('transparent huge pages, at most 1 arena (GLIBC_TUNABLES)');
    expect(mallocTuningLine({ BRACKETEER_MALLOC_TUNING: '0' })).toBe(
      '4-KiB pages, arenas per thread (BRACKETEER_MALLOC_TUNING=0)',
    );
  });
});

describe('mallocTunablesEnv (bin/malloc-tunables.mjs)', () => {
  it('adds the missing tunables on Linux and keeps the others', () => {
    expect(tunablesEnv({ PATH: '/bin' }, 'linux')).toEqual({
      PATH: '/bin',
      GLIBC_TUNABLES: MALLOC_TUNABLES.join(':'),
    });
    // a setting already given is the user's: kept as it is
    expect(
      tunablesEnv(
        { GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=0' },
        'linux',
      ),
    ).toEqual({
      GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0:glibc.malloc.hugetlb=0:glibc.malloc.arena_max=1',
    });
    expect(
      tunablesEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0' }, 'linux'),
    ).toBeNull();
    expect(tunablesEnv({ GLIBC_TUNABLES: MALLOC_TUNABLES.join(':') }, 'linux')).toBeNull();
  });

  it('does nothing elsewhere or when turned off', () => {
    expect(tunablesEnv({}, 'darwin')).toBeNull();
    expect(tunablesEnv({ BRACKETEER_MALLOC_TUNING: '0' }, 'linux')).toBeNull();
  });
});
