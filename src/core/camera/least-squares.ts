/**
 * Small dense least-squares in double precision: accumulate the normal equations AᵀA x = Aᵀb row
 * by row (sparse rows, so A is never formed) and solve them by Cholesky factorisation.
 */
import { InvalidInputError } from '../errors.js';

/** Normal equations of an n-unknown least-squares problem, filled row by row. */
export class NormalEquations {
  /** AᵀA, n×n row-major (only the lower triangle is used by {@link solve}). */
  readonly ata: Float64Array;
  /** Aᵀb, n entries. */
  readonly atb: Float64Array;

  constructor(readonly n: number) {
    this.ata = new Float64Array(n * n);
    this.atb = new Float64Array(n);
  }

  /** Adds the row a·x = rhs where a has two non-zeros: ai at column i, aj at column j (i ≠ j). */
  addPair(i: number, ai: number, j: number, aj: number, rhs: number): void {
    const { ata, atb, n } = this;
    ata[i * n + i] += ai * ai;
    ata[j * n + j] += aj * aj;
    const cross = ai * aj;
    ata[i * n + j] += cross;
    ata[j * n + i] += cross;
    atb[i] += ai * rhs;
    atb[j] += aj * rhs;
  }

  /** Adds a general sparse row: coefficients `coef` at columns `cols`, right-hand side `rhs`. */
  addRow(cols: readonly number[], coef: readonly number[], rhs: number): void {
    const { ata, atb, n } = this;
    for (let p = 0; p < cols.length; p++) {
      const cp = coef[p];
      const rowOff = cols[p] * n;
      for (let q = 0; q < cols.length; q++) ata[rowOff + cols[q]] += cp * coef[q];
      atb[cols[p]] += cp * rhs;
    }
  }

  /**
   * Solves the normal equations (least-squares solution).
   * @throws InvalidInputError when AᵀA is not positive definite (under-determined problem)
   */
  solve(): Float64Array {
    return choleskySolve(this.ata.slice(), this.atb.slice(), this.n);
  }
}

/**
 * Solves the symmetric positive-definite system M x = b by Cholesky (M = L·Lᵀ), in place.
 * @param m - n×n row-major matrix; its lower triangle is overwritten by L
 * @param b - right-hand side, overwritten by the solution
 * @param n - order of the system
 * @returns b (now holding x)
 * @throws InvalidInputError when a pivot is not positive (matrix not positive definite)
 */
export function choleskySolve(m: Float64Array, b: Float64Array, n: number): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(m[i * n + i]));
  const tiny = maxDiag * 1e-14;
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = m[rowJ + j];
    for (let k = 0; k < j; k++) d -= m[rowJ + k] * m[rowJ + k];
    if (!(d > tiny)) {
      throw new InvalidInputError(
        `Least-squares system is singular (pivot ${j} = ${d}); the data do not determine every unknown`,
      );
    }
    const ljj = Math.sqrt(d);
    m[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = m[rowI + j];
      for (let k = 0; k < j; k++) s -= m[rowI + k] * m[rowJ + k];
      m[rowI + j] = s * inv;
    }
  }
  // Forward substitution L y = b, then back substitution Lᵀ x = y.
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= m[rowI + k] * b[k];
    b[i] = s / m[rowI + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= m[k * n + i] * b[k];
    b[i] = s / m[i * n + i];
  }
  return b;
}
