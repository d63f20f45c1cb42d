import { describe, expect, it } from 'vitest';
import { doctor } from '../../../../src/cli/commands/doctor.js';
import type { CommandContext } from '../../../../src/cli/command.js';

const ctx: CommandContext = {
  json: false,
  signal: new AbortController().signal,
  onProgress: () => undefined,
};

describe('bracketeer doctor', () => {
  it('rejects a bad --backend or --threads', async () => {
    await expect(
      doctor.run({ values: { backend: 'webgl' }, positionals: [] }, ctx),
    ).rejects.toThrow(/--backend/);
    await expect(doctor.run({ values: { threads: 'two' }, positionals: [] }, ctx)).rejects.toThrow(
      /--threads/,
    );
  });

  it('reports the active backend, threads, SIMD and the skipped backends', async () => {
    const r = await doctor.run({ values: { threads: '2' }, positionals: [] }, ctx);
    expect(r.text).toMatch(/^backend {3}wasm/m);
    expect(r.text).toMatch(/^threads {3}2$/m);
    expect(r.text).toMatch(/^SIMD {6}yes$/m);
    expect(r.text).toMatch(/tfjs-node-gpu +not installed/);
    expect(r.text).toMatch(/tfjs-node +not installed/);
    const data = r.data as { name: string; threads: number; simd: boolean; skipped: unknown[] };
    expect(data).toMatchObject({ name: 'wasm', threads: 2, simd: true });
    expect(data.skipped).toHaveLength(2);
  });
});
