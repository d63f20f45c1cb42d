/**
 * Means over several evaluated stacks, and the evaluation of the synthetic held-out stacks
 * (ground-truth HDR, oracle calibrated on each stack's own frames).
 */
import { InvalidInputError } from '../../errors.js';
import { subProgress, throwIfAborted } from '../../job.js';
import { evaluateStack, type EvaluateOptions } from './evaluate.js';
import type {
  AggregateHdr,
  AggregateResult,
  AggregateRow,
  FrameScore,
  HdrScore,
  StackHdrScore,
  StackResult,
} from './results.js';
import { synthEvalStack, type StackResponseOptions, type SynthStackLike } from './stacks.js';
import type { EvalStack, FramePredictor } from './types.js';

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Per method and offset, the arithmetic mean of PSNR and SSIM over the stacks that have the
 * offset; likewise the HDR scores over the stacks that have them (a +Infinity PSNR makes its
 * mean +Infinity). Methods are those of the first result.
 * @param name - label for reports
 */
export function aggregateResults(
  results: readonly StackResult[],
  name = 'mean',
  skipped: AggregateResult['skipped'] = [],
): AggregateResult {
  const methods = results.length ? [...results[0].methods] : [];
  const offsets = [...new Set(results.flatMap((r) => r.rows.map((row) => row.offset)))].sort(
    (a, b) => a - b,
  );
  const rows: AggregateRow[] = offsets.map((offset) => {
    const found = results
      .map((r) => r.rows.find((row) => row.offset === offset)?.scores)
      .filter((s): s is Readonly<Record<string, FrameScore>> => !!s);
    if (found.length === 0) return { offset, n: 0, scores: null };
    const scores: Record<string, FrameScore> = {};
    for (const m of methods) {
      const list = found.map((s) => s[m]).filter((s): s is FrameScore => !!s);
      scores[m] = { psnr: mean(list.map((s) => s.psnr)), ssim: mean(list.map((s) => s.ssim)) };
    }
    return { offset, n: found.length, scores };
  });
  const withHdr = results.filter((r) => r.hdr !== null);
  let hdr: AggregateHdr | null = null;
  if (withHdr.length > 0) {
    const methodsHdr: Record<string, HdrScore> = {};
    const avg = (list: readonly HdrScore[]): HdrScore => ({
      muPsnr: mean(list.map((h) => h.muPsnr)),
      pu21Psnr: mean(list.map((h) => h.pu21Psnr)),
    });
    for (const m of methods) {
      const list = withHdr.map((r) => r.hdr?.methods[m]).filter((h): h is StackHdrScore => !!h);
      if (list.length) methodsHdr[m] = avg(list);
    }
    const ceilings = withHdr.map((r) => r.hdr?.realBracket).filter((h): h is StackHdrScore => !!h);
    hdr = {
      reference: withHdr[0].hdr?.reference ?? 'real-bracket',
      n: withHdr.length,
      methods: methodsHdr,
      realBracket: ceilings.length ? avg(ceilings) : null,
    };
  }
  return {
    kind: 'aggregate',
    name,
    count: results.length,
    stacks: results.map((r) => r.name),
    methods,
    rows,
    hdr,
    skipped,
  };
}

/** Predictors for the synthetic stacks: fixed, or made per stack (e.g. its own oracle). */
export type PredictorSet =
  | Readonly<Record<string, FramePredictor>>
  | ((stack: EvalStack) => Readonly<Record<string, FramePredictor>>);

/** Options of {@link evaluateSynthStacks}. */
export interface SynthEvalOptions extends EvaluateOptions, StackResponseOptions {
  /** Label of the aggregate, default "synthetic held-out". */
  readonly name?: string;
}

/**
 * Evaluates synthetic held-out stacks ({@link synthEvalStack}: EV 0 is the reference, the
 * response is Debevec-calibrated on each stack's own frames, the HDR reference is its `linear`)
 * and averages the results. Stacks whose calibration fails are skipped and listed.
 * @param stacks - e.g. SynthStack objects from data/synth-stack.ts
 * @param predictors - fixed predictors, or a function of the stack (use baselinePredictors for
 *   naive + oracle)
 * @returns the aggregate and the per-stack results
 */
export async function evaluateSynthStacks(
  stacks: readonly SynthStackLike[],
  predictors: PredictorSet,
  options: SynthEvalOptions = {},
): Promise<{ aggregate: AggregateResult; stacks: StackResult[] }> {
  const results: StackResult[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (let i = 0; i < stacks.length; i++) {
    throwIfAborted(options.signal);
    const s = stacks[i];
    const name = `${s.source ?? 'stack'}#${i}`;
    let stack: EvalStack;
    try {
      stack = synthEvalStack(s, name, options, { signal: options.signal });
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      skipped.push({ name, reason: err.message });
      continue;
    }
    const set = typeof predictors === 'function' ? predictors(stack) : predictors;
    results.push(
      await evaluateStack(stack, set, {
        ...options,
        onProgress: subProgress(options.onProgress, i / stacks.length, 1 / stacks.length),
      }),
    );
  }
  return {
    aggregate: aggregateResults(results, options.name ?? 'synthetic held-out', skipped),
    stacks: results,
  };
}
