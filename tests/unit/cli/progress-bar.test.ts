import { describe, expect, it } from 'vitest';
import { ProgressBar, type BarStream } from '../../../src/cli/progress-bar.js';

function stream(isTTY: boolean): BarStream & { out: string[] } {
  const out: string[] = [];
  return { isTTY, columns: 80, out, write: (s: string) => (out.push(s), true) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ProgressBar', () => {
  it('prints nothing when stderr is not a terminal', async () => {
    const s = stream(false);
    const bar = new ProgressBar(s, false, 0);
    await sleep(5);
    bar.update({ fraction: 0.5, message: 'Merging' });
    bar.done();
    expect(s.out).toEqual([]);
  });

  it('prints nothing for jobs shorter than the delay', () => {
    const s = stream(true);
    const bar = new ProgressBar(s, false, 60_000);
    bar.update({ fraction: 0.9 });
    bar.done();
    expect(s.out).toEqual([]);
  });

  it('draws percentage and message after the delay, and clears the line when done', async () => {
    const s = stream(true);
    const bar = new ProgressBar(s, false, 10);
    await sleep(20);
    bar.update({ fraction: 0.42, message: 'Merging' });
    expect(s.out).toHaveLength(1);
    expect(s.out[0]).toContain(' 42%');
    expect(s.out[0]).toContain('Merging');
    expect(s.out[0].length).toBeLessThan(100);
    bar.done();
    expect(s.out[1]).toBe('\r\x1b[K');
  });

  it('stays quiet with --quiet even on a terminal', async () => {
    const s = stream(true);
    const bar = new ProgressBar(s, true, 0);
    await sleep(5);
    bar.update({ fraction: 0.3 });
    expect(s.out).toEqual([]);
  });
});
