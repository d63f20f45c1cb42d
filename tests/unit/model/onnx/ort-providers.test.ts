import { describe, expect, it } from 'vitest';
import {
  chooseOrtProvider,
  providerCandidates,
  type ProviderEnvironment,
} from '../../../../src/core/model/onnx/ort-providers.js';
import { loadOrt } from '../../../../src/core/model/onnx/ort-runner.js';

const ALL = [
  { name: 'cpu', bundled: true },
  { name: 'webgpu', bundled: true },
  { name: 'cuda', bundled: false },
];

describe('providerCandidates', () => {
  it('probes CUDA when its library is installed, WebGPU when there is a GPU device, then CPU', () => {
    const env: ProviderEnvironment = { supported: ALL, cudaLibrary: true, gpuDevice: true };
    expect(providerCandidates(env)).toEqual({ probe: ['cuda', 'webgpu', 'cpu'], skipped: [] });
  });

  it('rules out what the machine lacks, with the reason', () => {
    const r = providerCandidates({ supported: ALL, cudaLibrary: false, gpuDevice: false });
    expect(r.probe).toEqual(['cpu']);
    expect(r.skipped.map((s) => s.name)).toEqual(['cuda', 'webgpu']);
    expect(r.skipped[0].reason).toMatch(/library not installed/);
    expect(r.skipped[1].reason).toBe('no GPU device on this machine');
    const cpuOnly = providerCandidates({
      supported: [{ name: 'cpu', bundled: true }],
      cudaLibrary: true,
      gpuDevice: true,
    });
    expect(cpuOnly.probe).toEqual(['cpu']);
    expect(cpuOnly.skipped.every((s) => s.reason === 'not in this onnxruntime-node build')).toBe(
      true,
    );
  });
});

describe('chooseOrtProvider (real onnxruntime-node)', () => {
  it('falls back to the CPU provider when a GPU provider cannot start, and says why', async () => {
    const ort = await loadOrt();
    // pretend the CUDA library exists: the probe itself must fail on this machine (no library)
    const r = await chooseOrtProvider(ort, 1, {
      supported: ALL,
      cudaLibrary: true,
      gpuDevice: false,
    });
    expect(r.provider).toBe('cpu');
    const cuda = r.skipped.find((s) => s.name === 'cuda');
    expect(cuda?.reason).toMatch(/^failed to start: /);
    expect(r.skipped.map((s) => s.name)).toEqual(['cuda', 'webgpu']);
  });
});
