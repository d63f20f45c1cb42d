/**
 * Writes a model's ONNX graphs beside its tfjs weights (three files, see {@link ONNX_FILES})
 * and describes them (file, SHA-256, size) for model.json and the model card. Writes are
 * atomic (temporary file + rename).
 */
import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ImageWriteError } from '../../errors.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import { exportMultiExposureOnnx, ONNX_IO } from './export.js';
import { ONNX_IR_VERSION, ONNX_OPSET } from './graph-builder.js';

/** File names of the three graphs, relative to the model folder. */
export const ONNX_FILES = {
  encode: 'model.encode.onnx',
  renderUp: 'model.render-up.onnx',
  renderDown: 'model.render-down.onnx',
} as const;

/** One written graph. */
export interface OnnxFileRecord {
  readonly file: string;
  /** SHA-256 of the file's bytes, hex */
  readonly sha256: string;
  readonly bytes: number;
}

/** The `onnx` record of model.json. */
export interface OnnxDescriptor {
  readonly opset: number;
  readonly irVersion: number;
  /** NHWC float32 I/O names; render graphs take `image` too when `needsInput` */
  readonly io: typeof ONNX_IO;
  readonly needsInput: boolean;
  readonly stride: number;
  readonly encode: OnnxFileRecord;
  readonly renderUp: OnnxFileRecord;
  readonly renderDown: OnnxFileRecord;
}

async function writeAtomic(file: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(`${file}.tmp`, bytes);
    await rename(`${file}.tmp`, file);
  } catch (err) {
    throw new ImageWriteError(file, `cannot write the ONNX graph: ${(err as Error).message}`);
  }
}

/**
 * Exports `model` (its current weights) and writes the graphs into `dir`.
 * @returns the descriptor to store in model.json
 * @throws ImageWriteError when a file cannot be written
 */
export async function writeOnnxFiles(
  model: MultiExposureModel,
  dir: string,
): Promise<OnnxDescriptor> {
  const g = exportMultiExposureOnnx(model);
  const write = async (file: string, bytes: Uint8Array): Promise<OnnxFileRecord> => {
    await writeAtomic(path.join(dir, file), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { file, sha256, bytes: bytes.byteLength };
  };
  return {
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    io: ONNX_IO,
    needsInput: g.needsInput,
    stride: g.stride,
    encode: await write(ONNX_FILES.encode, g.encode),
    renderUp: await write(ONNX_FILES.renderUp, g.renderUp),
    renderDown: await write(ONNX_FILES.renderDown, g.renderDown),
  };
}
