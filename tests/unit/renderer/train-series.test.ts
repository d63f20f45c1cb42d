/** The training view's series: events accumulate into loss and PSNR points; ETA formatting. */
import { describe, expect, it } from 'vitest';
import { addEvent, EMPTY_SERIES, formatEta } from '../../../src/renderer/src/lib/train-series.js';
import type { FinetuneProgressEvent } from '../../../src/shared/api/types.js';

const ev = (p: Partial<FinetuneProgressEvent>): FinetuneProgressEvent => ({
  jobId: 'j',
  runId: 'r',
  type: 'step',
  step: 0,
  totalSteps: 100,
  loss: null,
  stepsPerSecond: null,
  etaSeconds: null,
  psnr: null,
  meanPsnr: null,
  bestStep: null,
  message: '',
  ...p,
});

describe('train series', () => {
  it('collects loss per step and mean PSNR per validation', () => {
    let s = EMPTY_SERIES;
    s = addEvent(
      s,
      ev({ type: 'validation', step: 0, meanPsnr: 20, psnr: { '2': 20 }, bestStep: 0 }),
    );
    s = addEvent(s, ev({ type: 'step', step: 1, loss: 0.5, stepsPerSecond: 2, etaSeconds: 49.5 }));
    s = addEvent(s, ev({ type: 'step', step: 2, loss: 0.4, stepsPerSecond: 2, etaSeconds: 49 }));
    s = addEvent(
      s,
      ev({ type: 'validation', step: 2, meanPsnr: 21, psnr: { '2': 21 }, bestStep: 2 }),
    );
    expect(s.loss).toEqual([
      [1, 0.5],
      [2, 0.4],
    ]);
    expect(s.psnr).toEqual([
      [0, 20],
      [2, 21],
    ]);
    expect(s.firstPsnr).toEqual({ '2': 20 });
    expect(s.lastPsnr).toEqual({ '2': 21 });
    expect([s.step, s.totalSteps, s.etaSeconds, s.bestStep]).toEqual([2, 100, 49, 2]);
    expect(EMPTY_SERIES.loss).toEqual([]);
  });

  it('formats the ETA', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(Infinity)).toBe('—');
    expect(formatEta(42.4)).toBe('42 s');
    expect(formatEta(65)).toBe('1 min 05 s');
  });
});
