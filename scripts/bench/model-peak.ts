/**
 * The machine's peak FLOP rate for bench:model, measured with float32 n×n×n MatMuls on ONNX
 * Runtime's CPU provider with one intra-op thread per core (MLAS GEMM, about 85–95 % of the FMA
 * peak on x86).
 */
import { cpus } from 'node:os';
import { GraphBuilder, loadOrt } from '../../src/core/model/onnx/index.js';

/** A MatMul session kept open to time GEMMs between other measurements. */
export interface MatMulProbe {
  /** GFLOP/s of each of `count` MatMuls run back to back, in order. */
  rates(count: number): Promise<number[]>;
  release(): Promise<void>;
}

/**
 * Opens a MatMul session on n × n float32 matrices (default 2048: 17.2 GFLOP a call) with one
 * intra-op thread per logical core, and runs one untimed MatMul.
 */
export async function openMatMulProbe(n = 2048): Promise<MatMulProbe> {
  const ort = await loadOrt();
  const g = new GraphBuilder('gemm');
  g.output(g.node('MatMul', [g.input('a', [n, n]), g.input('b', [n, n])], {}, 'c'), [n, n]);
  const session = await ort.InferenceSession.create(g.toModel(), {
    executionProviders: ['cpu'],
    intraOpNumThreads: cpus().length,
  });
  const feeds = {
    a: new ort.Tensor('float32', new Float32Array(n * n).fill(0.5), [n, n]),
    b: new ort.Tensor('float32', new Float32Array(n * n).fill(0.25), [n, n]),
  };
  const rates = async (count: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      out.push((2 * n ** 3) / 1e9 / ((performance.now() - t0) / 1000));
    }
    return out;
  };
  await rates(1);
  return { rates, release: () => session.release() };
}

/** The best and the median GFLOP/s of 12 single MatMuls (after a warm-up one). */
export async function measurePeak(): Promise<{ best: number; median: number }> {
  const probe = await openMatMulProbe();
  try {
    const rates = (await probe.rates(12)).sort((x, y) => x - y);
    return { best: rates[rates.length - 1], median: rates[rates.length >> 1] };
  } finally {
    await probe.release();
  }
}
