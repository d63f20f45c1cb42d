import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { TINY_CONFIG } from '../../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../../src/core/model/architectures/multi-exposure/model.js';
import {
  createOrtTileModel,
  ONNX_FILES,
  writeOnnxFiles,
} from '../../../../src/core/model/onnx/index.js';
import { compare, randomImage, randomiseParams } from './parity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('writeOnnxFiles', () => {
  it('writes three opset-17 graphs with their SHA-256, loadable and matching tfjs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-onnx-'));
    const model = createMultiExposureModel(TINY_CONFIG, 5);
    randomiseParams(model, 6);
    try {
      const rec = await writeOnnxFiles(model, dir);
      expect((await readdir(dir)).sort()).toEqual(Object.values(ONNX_FILES).sort());
      const bytes: Record<string, Uint8Array> = {};
      for (const key of ['encode', 'renderUp', 'renderDown'] as const) {
        const b = new Uint8Array(await readFile(path.join(dir, rec[key].file)));
        bytes[key] = b;
        expect(rec[key].sha256).toBe(createHash('sha256').update(b).digest('hex'));
        expect(rec[key].bytes).toBe(b.byteLength);
        // decoded with the schema package: opset 17, NHWC I/O with symbolic N, H, W
        const m = onnxProto.onnx.ModelProto.decode(b);
        expect(Number(m.opsetImport[0].version)).toBe(17);
        const dims = (m.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? []).map(
          (d) => d.dimParam || Number(d.dimValue),
        );
        expect(dims).toEqual(['N', 'H', 'W', 3]);
      }
      const ort = await createOrtTileModel(
        {
          encode: bytes.encode,
          renderUp: bytes.renderUp,
          renderDown: bytes.renderDown,
          needsInput: rec.needsInput,
          priorInput: false,
          stride: rec.stride,
        },
        { threads: 1 },
      );
      const d = await compare(model, ort, randomImage(2, 1, 8, 8), 1, 8, 8, [-1, 2]);
      await ort.release();
      expect(d.encode).toBeLessThan(1e-4);
      for (const r of d.render) expect(r).toBeLessThan(1e-4);
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
