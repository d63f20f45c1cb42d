/**
 * A file of named float32 arrays: `<base>.bin` (little-endian, concatenated) and `<base>.json`
 * (names, shapes, offsets, byte length, SHA-256), both written atomically, binary first. Used for
 * optimizer state in checkpoints; model weights use nn/weights-io (which maps onto a ParamStore).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { sha256Hex, WeightsIntegrityError } from '../nn/weights-io.js';
import type { NamedArray } from './optimizer.js';

const FORMAT = 'bracketeer-tensors';

interface TensorFileManifest {
  format: typeof FORMAT;
  version: 1;
  binFile: string;
  byteLength: number;
  sha256: string;
  entries: { name: string; shape: number[]; offset: number; length: number }[];
  meta?: Record<string, unknown>;
}

/**
 * Writes the arrays to `<base>.bin` and `<base>.json`.
 * @param meta - stored as is in the manifest
 */
export async function writeTensorFile(
  base: string,
  arrays: readonly NamedArray[],
  meta?: Record<string, unknown>,
): Promise<void> {
  const total = arrays.reduce((a, e) => a + e.data.length, 0);
  const data = new Float32Array(total);
  const entries: TensorFileManifest['entries'] = [];
  let at = 0;
  for (const e of arrays) {
    data.set(e.data, at);
    entries.push({ name: e.name, shape: [...e.shape], offset: at * 4, length: e.data.length });
    at += e.data.length;
  }
  const bin = new Uint8Array(data.buffer);
  const manifest: TensorFileManifest = {
    format: FORMAT,
    version: 1,
    binFile: `${path.basename(base)}.bin`,
    byteLength: bin.byteLength,
    sha256: sha256Hex(bin),
    entries,
    ...(meta ? { meta } : {}),
  };
  await writeFileAtomic(`${base}.bin`, bin);
  await writeFileAtomic(`${base}.json`, new TextEncoder().encode(JSON.stringify(manifest)));
}

/**
 * Reads a tensor file written by {@link writeTensorFile}, verifying size and SHA-256.
 * @throws WeightsIntegrityError when the files are corrupt or do not match
 */
export async function readTensorFile(
  base: string,
): Promise<{ arrays: NamedArray[]; meta?: Record<string, unknown> }> {
  const jsonPath = `${base}.json`;
  let manifest: TensorFileManifest;
  try {
    manifest = JSON.parse(await readFile(jsonPath, 'utf8')) as TensorFileManifest;
  } catch (err) {
    throw new InvalidInputError(`${jsonPath}: cannot read (${(err as Error).message})`);
  }
  if (manifest.format !== FORMAT || manifest.version !== 1) {
    throw new WeightsIntegrityError(jsonPath, `not a ${FORMAT} v1 manifest`);
  }
  const binPath = path.join(path.dirname(jsonPath), manifest.binFile);
  let bytes: Buffer;
  try {
    bytes = await readFile(binPath);
  } catch (err) {
    throw new InvalidInputError(`${binPath}: cannot read (${(err as Error).message})`);
  }
  if (bytes.byteLength !== manifest.byteLength) {
    throw new WeightsIntegrityError(
      binPath,
      `size ${bytes.byteLength} bytes, manifest says ${manifest.byteLength}`,
    );
  }
  const bin = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sha256Hex(bin) !== manifest.sha256) {
    throw new WeightsIntegrityError(binPath, 'SHA-256 does not match the manifest');
  }
  const all = new Float32Array(bin.slice().buffer);
  const arrays = manifest.entries.map((e) => {
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (count !== e.length || e.offset % 4 !== 0 || e.offset / 4 + e.length > all.length) {
      throw new WeightsIntegrityError(jsonPath, `entry ${e.name} does not fit the binary`);
    }
    return { name: e.name, shape: e.shape, data: all.slice(e.offset / 4, e.offset / 4 + e.length) };
  });
  return { arrays, ...(manifest.meta ? { meta: manifest.meta } : {}) };
}
