import { afterAll, describe, expect, it } from 'vitest';
import { TINY_CONFIG } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import { resolveTileModel } from '../../../../src/core/model/inference/index.js';
import { initInferenceBackend } from '../../../../src/core/model/runtime/index.js';

// Own process (vitest 'forks' pool): this is the first selection.
describe('BRACKETEER_BACKEND=cpu', () => {
  const saved = process.env.BRACKETEER_BACKEND;
  afterAll(() => {
    if (saved === undefined) delete process.env.BRACKETEER_BACKEND;
    else process.env.BRACKETEER_BACKEND = saved;
  });
  it('keeps inference on tfjs and says why ONNX Runtime was not tried', async () => {
    process.env.BRACKETEER_BACKEND = 'cpu';
    const info = await initInferenceBackend({ prefer: 'onnxruntime' });
    expect(info.name).toBe('cpu');
    const ort = info.skipped.find((s) => s.name === 'onnxruntime');
    expect(ort?.reason).toBe('not tried: BRACKETEER_BACKEND prefers cpu');
    const model = createMultiExposureModel(TINY_CONFIG, 1);
    expect((await resolveTileModel(model)).backend).toBe('tfjs');
    model.dispose();
  });
});
