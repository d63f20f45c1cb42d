/**
 * Weight files: one flat little-endian float32 binary (`<name>.bin`) plus a JSON manifest
 * (`<name>.json`) listing every tensor's name, shape, byte offset and element count, the dtype,
 * the binary's byte length and its SHA-256 (hex, computed with node:crypto). Loading verifies
 * the hash before touching any variable and fails with {@link WeightsIntegrityError} on mismatch.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BracketeerError, InvalidInputError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { ParamStore } from './params.js';

/** Manifest format identifier. */
export const WEIGHTS_FORMAT = 'bracketeer-weights';

/** One tensor in the binary. */
export interface WeightEntry {
  name: string;
  shape: number[];
  /** byte offset into the binary (multiple of 4) */
  offset: number;
  /** number of float32 elements */
  length: number;
}

/** The JSON manifest. */
export interface WeightsManifest {
  format: typeof WEIGHTS_FORMAT;
  version: 1;
  dtype: 'float32';
  byteOrder: 'little';
  /** file name of the binary, relative to the manifest */
  weightsFile: string;
  byteLength: number;
  /** lowercase hex SHA-256 of the binary */
  sha256: string;
  entries: WeightEntry[];
  /** free-form model description (config, seed, training steps…) */
  meta?: Record<string, unknown>;
}

/** The weights are corrupt, truncated, replaced, or do not match the model. */
export class WeightsIntegrityError extends BracketeerError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'WeightsIntegrityError';
  }
}

/** Lowercase hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new BracketeerError('weights-io: big-endian hosts are not supported');
  }
}

/**
 * Serialises every parameter of `store` (trainable and running statistics) in registration order.
 * Reads the variables synchronously (`dataSync`).
 */
export function encodeWeights(
  store: ParamStore,
  weightsFile: string,
  meta?: Record<string, unknown>,
): { manifest: WeightsManifest; bin: Uint8Array } {
  assertLittleEndian();
  const list = store.list();
  const total = list.reduce((a, e) => a + e.variable.size, 0);
  const data = new Float32Array(total);
  const entries: WeightEntry[] = [];
  let at = 0;
  for (const e of list) {
    data.set(e.variable.dataSync() as Float32Array, at);
    entries.push({
      name: e.name,
      shape: [...e.variable.shape],
      offset: at * 4,
      length: e.variable.size,
    });
    at += e.variable.size;
  }
  const bin = new Uint8Array(data.buffer);
  const manifest: WeightsManifest = {
    format: WEIGHTS_FORMAT,
    version: 1,
    dtype: 'float32',
    byteOrder: 'little',
    weightsFile,
    byteLength: bin.byteLength,
    sha256: sha256Hex(bin),
    entries,
    ...(meta ? { meta } : {}),
  };
  return { manifest, bin };
}

/**
 * Verifies `bin` against `manifest` (format, length, SHA-256, entry bounds) and returns the
 * tensors by name. `source` names the file in error messages.
 * @throws WeightsIntegrityError on any mismatch
 */
export function decodeWeights(
  manifest: WeightsManifest,
  bin: Uint8Array,
  source = 'weights',
): Map<string, { shape: number[]; data: Float32Array }> {
  assertLittleEndian();
  if (
    manifest?.format !== WEIGHTS_FORMAT ||
    manifest.version !== 1 ||
    manifest.dtype !== 'float32'
  ) {
    throw new WeightsIntegrityError(
      source,
      'not a bracketeer float32 weights manifest (version 1)',
    );
  }
  if (bin.byteLength !== manifest.byteLength) {
    throw new WeightsIntegrityError(
      source,
      `size mismatch: manifest says ${manifest.byteLength} bytes, file has ${bin.byteLength}`,
    );
  }
  const actual = sha256Hex(bin);
  if (actual !== manifest.sha256.toLowerCase()) {
    throw new WeightsIntegrityError(
      source,
      `sha256 mismatch: expected ${manifest.sha256}, got ${actual} (file corrupt or replaced)`,
    );
  }
  const aligned = bin.byteOffset % 4 === 0 ? bin : bin.slice();
  const all = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const e of manifest.entries) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    if (n !== e.length || e.offset % 4 !== 0 || e.offset + 4 * n > bin.byteLength) {
      throw new WeightsIntegrityError(source, `entry ${e.name}: bad shape/offset/length`);
    }
    out.set(e.name, { shape: e.shape, data: all.slice(e.offset / 4, e.offset / 4 + n) });
  }
  return out;
}

/**
 * Assigns decoded tensors to the store's variables. Every parameter must be present with the
 * same shape, and no unknown names may remain.
 * @throws WeightsIntegrityError naming the first mismatch
 */
export function applyWeights(
  store: ParamStore,
  tensors: Map<string, { shape: number[]; data: Float32Array }>,
  source = 'weights',
): void {
  const list = store.list();
  for (const e of list) {
    const t = tensors.get(e.name);
    if (!t) throw new WeightsIntegrityError(source, `missing parameter ${e.name}`);
    if (
      t.shape.length !== e.variable.shape.length ||
      t.shape.some((d, i) => d !== e.variable.shape[i])
    ) {
      throw new WeightsIntegrityError(
        source,
        `parameter ${e.name}: shape [${t.shape}] does not match the model's [${e.variable.shape}]`,
      );
    }
  }
  if (tensors.size !== list.length) {
    const extra = [...tensors.keys()].find((k) => !store.has(k));
    throw new WeightsIntegrityError(
      source,
      `unknown parameter ${extra ?? '?'} (different architecture?)`,
    );
  }
  for (const e of list) {
    const t = tensors.get(e.name)!;
    tf.tidy(() => e.variable.assign(tf.tensor(t.data, t.shape, 'float32')));
  }
}

/**
 * Writes `<base>.bin` and `<base>.json` atomically (binary first, manifest last).
 * @param base - path without extension, e.g. `resources/models/x/weights`
 * @returns the manifest written
 */
export async function saveWeights(
  base: string,
  store: ParamStore,
  meta?: Record<string, unknown>,
): Promise<WeightsManifest> {
  const binName = `${path.basename(base)}.bin`;
  const { manifest, bin } = encodeWeights(store, binName, meta);
  await writeFileAtomic(`${base}.bin`, bin);
  await writeFileAtomic(
    `${base}.json`,
    new TextEncoder().encode(JSON.stringify(manifest, null, 1)),
  );
  return manifest;
}

/** Reads and parses a manifest file. */
export async function readManifest(manifestPath: string): Promise<WeightsManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`${manifestPath}: cannot read (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text) as WeightsManifest;
  } catch {
    throw new WeightsIntegrityError(manifestPath, 'manifest is not valid JSON');
  }
}

/**
 * Loads `<manifest>` and its binary into `store`, verifying the SHA-256 first.
 * @throws WeightsIntegrityError on hash/size/shape mismatch
 */
export async function loadWeights(
  manifestPath: string,
  store: ParamStore,
): Promise<WeightsManifest> {
  const manifest = await readManifest(manifestPath);
  const binPath = path.join(path.dirname(manifestPath), manifest.weightsFile);
  let bin: Uint8Array;
  try {
    bin = new Uint8Array(await readFile(binPath));
  } catch (err) {
    throw new InvalidInputError(`${binPath}: cannot read (${(err as Error).message})`);
  }
  applyWeights(store, decodeWeights(manifest, bin, binPath), binPath);
  return manifest;
}
