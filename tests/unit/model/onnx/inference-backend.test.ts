import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { doctor } from '../../../../src/cli/commands/doctor.js';
import { TINY_CONFIG } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import {
  generateBracket,
  resolveTileModel,
  tfjsTileModel,
} from '../../../../src/core/model/inference/index.js';
import { initInferenceBackend } from '../../../../src/core/model/runtime/index.js';
import { maxAbsDiff, randomImage, randomiseParams } from './parity.js';

// Each test file runs in its own process (vitest 'forks' pool): this is the first selection.
describe('inference backend order (default)', () => {
  it('picks ONNX Runtime after the missing tfjs-node(-gpu) and before wasm / cpu', async () => {
    const info = await initInferenceBackend({ threads: 2 });
    expect(info.name).toBe('onnxruntime');
    expect(info.threads).toBe(2);
    expect(info.ortVersion).toMatch(/^\d+\.\d+/);
    expect(info.ortProvider).toBe('cpu');
    expect(info.tfjs.name).toBe('wasm');
    const reasons = Object.fromEntries(info.skipped.map((s) => [s.name, s.reason]));
    expect(reasons['tfjs-node-gpu']).toBe('not installed');
    expect(reasons['tfjs-node']).toBe('not installed');
    expect(reasons.wasm).toMatch(/ranks after onnxruntime/);
    expect(info.skipped.map((s) => s.name)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm']);
  });

  it('doctor names the inference engine and why the others are not used', async () => {
    const ctx = { json: false, signal: new AbortController().signal, onProgress: () => undefined };
    const r = await doctor.run({ values: {}, positionals: [] }, ctx);
    expect(r.text).toMatch(/^inference onnxruntime \d+\.\d+\.\d+ \(cpu provider\), 2 thread/m);
    // this machine: no CUDA provider library, no GPU device (the reasons come from the checks)
    expect(r.text).toMatch(/^ {2}onnxruntime\/cuda +provider library not installed/m);
    expect(r.text).toMatch(/^ {2}onnxruntime\/webgpu +no GPU device on this machine/m);
    expect(r.text).toMatch(/^ {2}wasm +ranks after onnxruntime/m);
    expect(r.text).toMatch(/^backend {3}wasm/m);
    expect(cpus().length).toBeGreaterThan(0);
  });

  it('runs tfjs models through ONNX Runtime, re-exported when the weights change', async () => {
    const model = createMultiExposureModel(TINY_CONFIG, 2);
    randomiseParams(model, 3);
    const first = await resolveTileModel(model);
    expect(first.backend).toBe('onnxruntime');
    expect(await resolveTileModel(model)).toBe(first);
    randomiseParams(model, 4); // "fine-tuned": new weights and statistics
    const second = await resolveTileModel(model);
    expect(second).not.toBe(first);

    const w = 12;
    const h = 10;
    const data = randomImage(8, 1, h, w);
    const image = { width: w, height: h, channels: 3 as const, data };
    const frames = await generateBracket(model, image, [1.5]);
    // reference: the same tiling on tfjs (wasm backend) with the new weights
    const expected = (await generateBracket(tfjsTileModel(model), image, [1.5]))[0].data;
    expect(maxAbsDiff(frames[0].data, expected)).toBeLessThan(1e-4);
    model.dispose();
  });
});
