import { describe, expect, it } from 'vitest';
import { learningRateAt, validateSchedule } from '../../../../src/core/model/train/schedule.js';

const s = { base: 1e-3, warmupSteps: 10, totalSteps: 110, minFraction: 0.1 };

describe('learningRateAt', () => {
  it('ramps linearly during warm-up', () => {
    expect(learningRateAt(s, 0)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(s, 4)).toBeCloseTo(5e-4, 12);
    expect(learningRateAt(s, 9)).toBeCloseTo(1e-3, 12);
  });
  it('follows a cosine from the peak to the floor', () => {
    expect(learningRateAt(s, 10)).toBeCloseTo(1e-3, 12);
    // halfway through the decay: floor + (peak − floor) / 2
    expect(learningRateAt(s, 60)).toBeCloseTo(1e-4 + 0.5 * 9e-4, 12);
    expect(learningRateAt(s, 110)).toBeCloseTo(1e-4, 12);
  });
  it('stays at the floor past the planned end', () => {
    expect(learningRateAt(s, 500)).toBeCloseTo(1e-4, 12);
  });
  it('rejects impossible schedules', () => {
    expect(() => validateSchedule({ ...s, base: 0 })).toThrow(/learning rate/);
    expect(() => validateSchedule({ ...s, totalSteps: 0 })).toThrow(/total steps/);
    expect(() => validateSchedule({ ...s, minFraction: 2 })).toThrow(/minimum LR/);
  });
});
