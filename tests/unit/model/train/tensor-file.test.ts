import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeightsIntegrityError } from '../../../../src/core/model/nn/weights-io.js';
import { readTensorFile, writeTensorFile } from '../../../../src/core/model/train/tensor-file.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-tensor-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const arrays = [
  { name: 'a/m', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) },
  { name: 'b/v', shape: [4], data: Float32Array.from([0.25, 1e-8, 3e7, 0]) },
];

describe('tensor files', () => {
  it('round-trip names, shapes, values and meta exactly', async () => {
    const base = path.join(dir, 'ok');
    await writeTensorFile(base, arrays, { iterations: 17 });
    const back = await readTensorFile(base);
    expect(back.meta).toEqual({ iterations: 17 });
    expect(back.arrays.map((a) => [a.name, a.shape])).toEqual([
      ['a/m', [2, 3]],
      ['b/v', [4]],
    ]);
    expect(Array.from(back.arrays[0].data)).toEqual(Array.from(arrays[0].data));
    expect(Array.from(back.arrays[1].data)).toEqual(Array.from(arrays[1].data));
  });

  it('detects a changed byte and names the file', async () => {
    const base = path.join(dir, 'flip');
    await writeTensorFile(base, arrays);
    const bytes = await readFile(`${base}.bin`);
    bytes[5] ^= 0x40;
    await writeFile(`${base}.bin`, bytes);
    const err = await readTensorFile(base).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeightsIntegrityError);
    expect(String(err)).toMatch(/flip\.bin: SHA-256/);
  });

  it('detects a truncated binary', async () => {
    const base = path.join(dir, 'short');
    await writeTensorFile(base, arrays);
    const bytes = await readFile(`${base}.bin`);
    await writeFile(`${base}.bin`, bytes.subarray(0, 20));
    await expect(readTensorFile(base)).rejects.toThrow(/size 20 bytes, manifest says 40/);
  });
});
