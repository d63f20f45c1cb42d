import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParamStore } from '../../../../src/core/model/nn/params.js';
import {
  applyWeights,
  decodeWeights,
  encodeWeights,
  loadWeights,
  saveWeights,
  sha256Hex,
  WeightsIntegrityError,
} from '../../../../src/core/model/nn/weights-io.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-weights-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function build(seed: number): ParamStore {
  const s = new ParamStore(seed);
  s.add('a.w', [3, 3, 2, 4], { kind: 'he' });
  s.add('a.b', [4], { kind: 'glorot' });
  s.add('a.mean', [4], { kind: 'const', value: seed }, false);
  return s;
}

describe('weights-io', () => {
  it('sha256 of a known string', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('encodes a flat float32 binary with offsets and round-trips into another store', () => {
    const src = build(1);
    const { manifest, bin } = encodeWeights(src, 'w.bin', { config: 'test' });
    expect(manifest.byteLength).toBe((72 + 4 + 4) * 4);
    expect(manifest.entries.map((e) => [e.name, e.offset, e.length])).toEqual([
      ['a.w', 0, 72],
      ['a.b', 288, 4],
      ['a.mean', 304, 4],
    ]);
    const dst = build(2);
    applyWeights(dst, decodeWeights(manifest, bin));
    for (const e of src.list()) expect(dst.get(e.name).dataSync()).toEqual(e.variable.dataSync());
    src.dispose();
    dst.dispose();
  });

  it('save/load through files, and a flipped byte fails with a sha256 mismatch', async () => {
    const src = build(3);
    const base = path.join(dir, 'weights');
    await saveWeights(base, src);
    const dst = build(4);
    await loadWeights(`${base}.json`, dst);
    expect(dst.get('a.w').dataSync()).toEqual(src.get('a.w').dataSync());
    const bin = new Uint8Array(await readFile(`${base}.bin`));
    bin[10] ^= 0xff;
    await writeFile(`${base}.bin`, bin);
    const before = dst.get('a.w').dataSync().slice();
    await expect(loadWeights(`${base}.json`, dst)).rejects.toThrow(/sha256 mismatch/);
    await expect(loadWeights(`${base}.json`, dst)).rejects.toBeInstanceOf(WeightsIntegrityError);
    expect(dst.get('a.w').dataSync()).toEqual(before); // untouched on failure
    src.dispose();
    dst.dispose();
  });

  it('rejects truncation, wrong shapes and missing or unknown parameters', () => {
    const src = build(5);
    const { manifest, bin } = encodeWeights(src, 'w.bin');
    expect(() => decodeWeights(manifest, bin.slice(0, bin.length - 4))).toThrow(/size mismatch/);
    const other = new ParamStore(1);
    other.add('a.w', [3, 3, 2, 5], { kind: 'he' });
    expect(() => applyWeights(other, decodeWeights(manifest, bin))).toThrow(/shape/);
    other.dispose();
    const fewer = new ParamStore(1);
    fewer.add('a.w', [3, 3, 2, 4], { kind: 'he' });
    expect(() => applyWeights(fewer, decodeWeights(manifest, bin))).toThrow(
      /unknown parameter a\.b/,
    );
    fewer.dispose();
    const more = build(6);
    more.add('extra', [1], { kind: 'const', value: 0 });
    expect(() => applyWeights(more, decodeWeights(manifest, bin))).toThrow(
      /missing parameter extra/,
    );
    more.dispose();
    src.dispose();
  });
});
