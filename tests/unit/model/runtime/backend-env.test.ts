import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/model/runtime/backend.js';

// Each test file runs in its own process (vitest 'forks' pool), so this initBackend is the first.
describe('BRACKETEER_BACKEND', () => {
  const saved = process.env.BRACKETEER_BACKEND;
  afterAll(() => {
    if (saved === undefined) delete process.env.BRACKETEER_BACKEND;
    else process.env.BRACKETEER_BACKEND = saved;
  });
  it('=cpu moves cpu first and the others are reported as passed over', async () => {
    process.env.BRACKETEER_BACKEND = 'cpu';
    const info = await initBackend({ prefer: 'wasm' });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.threads).toBe(1);
    expect(info.simd).toBe(false);
    expect(info.notes.join(' ')).toContain('BRACKETEER_BACKEND');
    expect(info.skipped.map((s) => s.name)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm']);
    for (const s of info.skipped) expect(s.reason).toContain('BRACKETEER_BACKEND prefers cpu');
  });
});
