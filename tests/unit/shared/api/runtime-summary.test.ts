import { describe, expect, it } from 'vitest';
import { runtimeSummary } from '../../../../src/shared/api/runtime-summary.js';
import type { RuntimeInfo } from '../../../../src/shared/api/types.js';

const base: RuntimeInfo = {
  inference: 'onnxruntime',
  provider: 'cpu',
  workers: 2,
  backend: 'wasm',
  tfName: 'wasm',
  threads: 2,
  simd: true,
  skipped: [
    { name: 'tfjs-node-gpu', reason: 'failed to load: not installed' },
    { name: 'wasm', reason: 'ranks after onnxruntime (still used for training)' },
  ],
  notes: ['wasm threads: 2'],
};

describe('runtimeSummary', () => {
  it('names the inference engine, the training backend and why the others are not used', () => {
    const s = runtimeSummary({ runtime: base, runtimeError: null });
    expect(s.inference).toBe(
      'onnxruntime (cpu provider, 2 threads, tiles in parallel on 2 workers)',
    );
    const inThread = runtimeSummary({ runtime: { ...base, workers: 0 }, runtimeError: null });
    expect(inThread.inference).toBe('onnxruntime (cpu provider, 2 threads)');
    expect(s.training).toBe('wasm (TensorFlow.js, SIMD)');
    expect(s.notUsed).toEqual([
      'tfjs-node-gpu: failed to load: not installed',
      'wasm: ranks after onnxruntime (still used for training)',
    ]);
    expect(s.notes).toEqual(['wasm threads: 2']);
  });

  it('says when TensorFlow.js itself runs inference, and one thread in the singular', () => {
    const s = runtimeSummary({
      runtime: {
        ...base,
        inference: 'cpu',
        provider: null,
        workers: 0,
        backend: 'cpu',
        threads: 1,
        simd: false,
      },
      runtimeError: null,
    });
    expect(s.inference).toBe('cpu (TensorFlow.js, 1 thread)');
    expect(s.training).toBe('cpu (TensorFlow.js)');
  });

  it('reports a runtime that did not start with its error', () => {
    const s = runtimeSummary({ runtime: null, runtimeError: 'no backend could start' });
    expect(s.inference).toBe('unavailable: no backend could start');
    expect(s.training).toBeNull();
    expect(s.notUsed).toEqual([]);
  });
});
