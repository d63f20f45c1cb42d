/**
 * Loads a multi-exposure model from a shipped id (`multi-exposure-lite`) or from a weights
 * manifest path (e.g. a training run's best/model.json). The weights' SHA-256 is verified against
 * the manifest, and for shipped models the manifest's own SHA-256 against the model card's
 * `model.json` record, before any weight is used.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../../errors.js';
import { CONFIGS, type MultiExposureConfig } from '../architectures/multi-exposure/config.js';
import {
  createMultiExposureModel,
  type MultiExposureModel,
} from '../architectures/multi-exposure/model.js';
import { loadWeights, readManifest, sha256Hex, WeightsIntegrityError } from '../nn/weights-io.js';
import { DEFAULT_MODEL_ID, modelSearchDirectories } from './locate.js';

/** The descriptor `resources/models/<id>/model.json`. */
export interface ModelDescriptor {
  readonly id: string;
  readonly architecture: 'multi-exposure';
  /** config name (CONFIGS key) */
  readonly config: string;
  /** weights manifest file, relative to the model folder */
  readonly weights: string;
  /** SHA-256 of the weights binary (hex), repeated here from the manifest for the card */
  readonly sha256: string;
  readonly description?: string;
}

/** A loaded model and where it came from. */
export interface LoadedModel {
  readonly model: MultiExposureModel;
  /** shipped id, or the manifest path */
  readonly id: string;
  readonly manifestPath: string;
  readonly sha256: string;
  readonly meta: Record<string, unknown>;
}

function configFromMeta(
  meta: Record<string, unknown> | undefined,
  file: string,
): MultiExposureConfig {
  const c = meta?.config as { name?: string } | string | undefined;
  const name = typeof c === 'string' ? c : c?.name;
  const config = name ? CONFIGS[name] : undefined;
  if (!config) {
    throw new InvalidInputError(
      `${file}: the manifest names no known model config (got ${String(name)})`,
    );
  }
  return config;
}

async function loadFromManifest(
  manifestPath: string,
  id: string,
  expectedSha?: string,
): Promise<LoadedModel> {
  const manifest = await readManifest(manifestPath);
  if (expectedSha && manifest.sha256 !== expectedSha) {
    throw new WeightsIntegrityError(
      manifestPath,
      `weights SHA-256 ${manifest.sha256} differs from the model descriptor's ${expectedSha}`,
    );
  }
  const model = createMultiExposureModel(configFromMeta(manifest.meta, manifestPath));
  try {
    await loadWeights(manifestPath, model.params);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, id, manifestPath, sha256: manifest.sha256, meta: manifest.meta ?? {} };
}

/**
 * Loads a model.
 * @param ref - a model id (default `multi-exposure-lite`), looked up in the shipped models and
 *   then the user's models (fine-tunes), or a path to a weights `.json`
 * @throws InvalidInputError when it cannot be found; WeightsIntegrityError when files don't match
 */
export async function loadModel(ref: string = DEFAULT_MODEL_ID): Promise<LoadedModel> {
  if (ref.endsWith('.json')) return loadFromManifest(path.resolve(ref), ref);
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(ref)) {
    throw new InvalidInputError(`model "${ref}": not a model id or a weights .json path`);
  }
  const dirs = modelSearchDirectories();
  const dir = dirs.find((d) => existsSync(path.join(d, ref, 'model.json'))) ?? dirs[0];
  if (!dir)
    throw new InvalidInputError(
      `model "${ref}": no models folder found (set BRACKETEER_MODELS_DIR)`,
    );
  const descriptorPath = path.join(dir, ref, 'model.json');
  let descriptor: ModelDescriptor;
  try {
    descriptor = JSON.parse(await readFile(descriptorPath, 'utf8')) as ModelDescriptor;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      code === 'ENOENT'
        ? `model "${ref}" is not installed (no ${descriptorPath})`
        : `${descriptorPath}: ${(err as Error).message}`,
    );
  }
  if (descriptor.architecture !== 'multi-exposure') {
    throw new InvalidInputError(
      `${descriptorPath}: unknown architecture ${String(descriptor.architecture)}`,
    );
  }
  return loadFromManifest(path.join(dir, ref, descriptor.weights), ref, descriptor.sha256);
}

/** SHA-256 (hex) of a file's bytes. */
export async function fileSha256(file: string): Promise<string> {
  return sha256Hex(new Uint8Array(await readFile(file)));
}
