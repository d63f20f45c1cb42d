import { describe, expect, it } from 'vitest';
import { NormalEquations, choleskySolve } from '../../../src/core/camera/least-squares.js';
import { InvalidInputError } from '../../../src/core/errors.js';

describe('least squares', () => {
  it('Cholesky solves a known SPD system', () => {
    // M = [[4,2],[2,3]], x = [1,-2] → b = [0,-4]
    const x = choleskySolve(new Float64Array([4, 2, 2, 3]), new Float64Array([0, -4]), 2);
    expect(x[0]).toBeCloseTo(1, 12);
    expect(x[1]).toBeCloseTo(-2, 12);
  });
  it('fits a line through exact points', () => {
    const eq = new NormalEquations(2); // y = a + b·t
    for (const t of [0, 1, 2, 3]) eq.addRow([0, 1], [1, t], 0.5 + 2 * t);
    const [a, b] = eq.solve();
    expect(a).toBeCloseTo(0.5, 10);
    expect(b).toBeCloseTo(2, 10);
  });
  it('addPair equals addRow', () => {
    const p = new NormalEquations(3);
    const r = new NormalEquations(3);
    p.addPair(0, 2, 2, -3, 5);
    r.addRow([0, 2], [2, -3], 5);
    expect(Array.from(p.ata)).toEqual(Array.from(r.ata));
    expect(Array.from(p.atb)).toEqual(Array.from(r.atb));
  });
  it('reports a singular system', () => {
    const eq = new NormalEquations(2);
    eq.addRow([0, 1], [1, 1], 1);
    expect(() => eq.solve()).toThrow(InvalidInputError);
  });
});
