import { describe, expect, it } from 'vitest';
import {
  cameraProfile,
  type ProfileStack,
} from '../../../../src/core/model/finetune/camera-profile.js';

const curve = (gamma: number) =>
  Float32Array.from({ length: 256 }, (_, z) => ((z + 0.5) / 128.5) ** gamma);

function stack(name: string, extra: Partial<ProfileStack>, gamma = 2.2): ProfileStack {
  return {
    name,
    make: 'Canon',
    model: 'EOS R5',
    response: { inverse: [curve(gamma)], residual: 0.1 },
    ...extra,
  };
}

describe('cameraProfile', () => {
  it('keys by Make Model, keeps a style all stacks share, averages the curves geometrically', () => {
    const p = cameraProfile([
      stack('a', { style: 'Standard' }, 2),
      stack('b', { style: 'Standard', response: { inverse: [curve(3)], residual: 0.3 } }),
    ]);
    expect(p.key).toBe('Canon EOS R5');
    expect(p.style).toBe('Standard');
    expect(p.residual).toBeCloseTo(0.2, 12);
    // geometric mean of x^2 and x^3 is x^2.5
    expect(p.inverse[0][40]).toBeCloseTo((40.5 / 128.5) ** 2.5, 5);
  });

  it('drops the style when the stacks disagree or lack one, and the key across cameras', () => {
    expect(
      cameraProfile([stack('a', { style: 'Standard' }), stack('b', { style: 'Faithful' })]).style,
    ).toBeNull();
    expect(cameraProfile([stack('a', { style: 'Standard' }), stack('b', {})]).style).toBeNull();
    const mixed = cameraProfile([
      stack('a', { style: 'Standard' }),
      stack('b', { model: 'EOS R6', style: 'Standard' }),
    ]);
    expect(mixed.key).toBeNull();
    expect(mixed.style).toBeNull();
  });
});
