import { describe, expect, it } from 'vitest';
import { mallocHugePages, mallocPagesLine } from '../../../src/cli/malloc-pages.js';

describe('mallocHugePages', () => {
  it('reads the glibc tunable among others, and nothing else', () => {
    expect(mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })).toBe(true);
    expect(
      mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2' }),
    ).toBe(true);
    expect(mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' })).toBe(false);
    expect(mallocHugePages({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=10' })).toBe(false);
    expect(mallocHugePages({})).toBe(false);
    expect(mallocPagesLine({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' })).toMatch(/huge pages/);
  });
});
