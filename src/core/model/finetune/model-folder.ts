/**
 * Writing a fine-tuned model as a NEW model folder in the user's models directory, atomically:
 * everything is written into a hidden temporary folder next to it, verified, then renamed into
 * place, so a crash or cancel leaves either no folder or a complete one. The base model's
 * folder is never written.
 *
 *   <models>/<id>/weights.bin           float32 weights (the best validation step)
 *   <models>/<id>/weights.json          manifest (names, shapes, SHA-256, meta)
 *   <models>/<id>/model.json            descriptor (loadModel reads it): sha256, baseModel, kind…
 *   <models>/<id>/camera-response.json  the camera profile (Debevec response of the stacks)
 *   <models>/<id>/README.md             the model card
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ImageWriteError, InvalidInputError } from '../../errors.js';
import { oneLine } from '../../io/limits.js';
import { readManifest, sha256Hex, WeightsIntegrityError } from '../nn/weights-io.js';
import type { ModelDescriptor } from '../store/load-model.js';
import type { CameraProfile } from './camera-profile.js';

/** Model ids accepted for a new model (the same rule as loadModel). */
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/i;

/** The descriptor of a fine-tuned model (a superset of the shipped models' descriptor). */
export interface FinetuneDescriptor extends ModelDescriptor {
  readonly kind: 'fine-tune';
  /** id (or weights path) of the model the fine-tune started from */
  readonly baseModel: string;
  /** SHA-256 of the base model's weights */
  readonly baseSha256: string;
  readonly createdAt: string;
  readonly cameraProfile: {
    readonly key: string | null;
    readonly residual: number;
    readonly file: string;
  };
  /** training facts and before/after held-out PSNR (free-form, JSON) */
  readonly finetune: Record<string, unknown>;
  /** the ONNX graphs of the weights (files, SHA-256), when exported */
  readonly onnx?: unknown;
}

/**
 * Checks that `id` is a valid model id and that `<modelsDir>/<id>` does not exist yet.
 * @throws InvalidInputError otherwise
 */
export function checkNewModelId(modelsDir: string, id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new InvalidInputError(
      `model id "${id}" must start with a letter or digit and use only letters, digits, ".", "_" and "-"`,
    );
  }
  const dir = path.join(modelsDir, id);
  if (existsSync(dir)) {
    throw new InvalidInputError(`${dir} already exists; choose another model id`);
  }
}

/** What {@link writeModelFolder} writes. */
export interface ModelFolderContents {
  readonly modelsDir: string;
  readonly id: string;
  /** weights to ship, as `<base>.json` + its binary (e.g. the job's best/model) */
  readonly weightsBase: string;
  /** merged into the weights manifest's meta */
  readonly meta: Record<string, unknown>;
  readonly descriptor: Omit<FinetuneDescriptor, 'id' | 'weights' | 'sha256'>;
  readonly profile: CameraProfile;
  /** the card, given the weights' SHA-256 */
  readonly card: (sha256: string) => string;
  /** writes extra files (the ONNX graphs) into the folder being built; returns their record */
  readonly onnx?: (dir: string) => Promise<unknown>;
}

/**
 * Writes the model folder atomically (temporary folder + rename).
 * @returns the folder and the weights' SHA-256
 * @throws InvalidInputError when the id is taken; WeightsIntegrityError when the source weights
 *   do not match their manifest; ImageWriteError when the folder cannot be written
 */
export async function writeModelFolder(
  c: ModelFolderContents,
): Promise<{ dir: string; sha256: string }> {
  checkNewModelId(c.modelsDir, c.id);
  const finalDir = path.join(c.modelsDir, c.id);
  try {
    await mkdir(c.modelsDir, { recursive: true });
  } catch (err) {
    throw new ImageWriteError(c.modelsDir, oneLine(err));
  }
  const manifestPath = `${c.weightsBase}.json`;
  const manifest = await readManifest(manifestPath);
  const bin = new Uint8Array(
    await readFile(path.join(path.dirname(manifestPath), manifest.weightsFile)),
  );
  const sha256 = sha256Hex(bin);
  if (sha256 !== manifest.sha256 || bin.byteLength !== manifest.byteLength) {
    throw new WeightsIntegrityError(manifestPath, 'weights do not match their manifest');
  }
  const tmp = await mkdtemp(path.join(c.modelsDir, `.${c.id}.tmp-`));
  try {
    const json = (v: unknown) => `${JSON.stringify(v, null, 1)}\n`;
    await writeFile(path.join(tmp, 'weights.bin'), bin);
    await writeFile(
      path.join(tmp, 'weights.json'),
      json({ ...manifest, weightsFile: 'weights.bin', meta: { ...manifest.meta, ...c.meta } }),
    );
    await writeFile(path.join(tmp, 'camera-response.json'), json(c.profile));
    const descriptor: FinetuneDescriptor = {
      id: c.id,
      weights: 'weights.json',
      sha256,
      ...c.descriptor,
      ...(c.onnx ? { onnx: await c.onnx(tmp) } : {}),
    };
    await writeFile(path.join(tmp, 'model.json'), json(descriptor));
    await writeFile(path.join(tmp, 'README.md'), c.card(sha256));
    // mkdtemp makes the folder private (0700); a model folder is as readable as its siblings
    await chmod(tmp, 0o755);
    // The commit point: the folder appears complete or not at all.
    await rename(tmp, finalDir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (err instanceof ImageWriteError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImageWriteError(
      finalDir,
      code === 'ENOTEMPTY' || code === 'EEXIST' ? 'already exists' : oneLine(err),
    );
  }
  return { dir: finalDir, sha256 };
}
