/**
 * Model folders as .zip archives (fflate): export packs a model folder's files (flat), import
 * checks the archive (flat names, model.json, weights manifest, SHA-256 of the weights) and
 * installs it as a new folder atomically (temporary folder + rename).
 */
import { chmod, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ImageWriteError, InvalidInputError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/io/atomic-write.js';
import { checkNewModelId } from '../../core/model/finetune/index.js';
import { sha256Hex } from '../../core/model/nn/weights-io.js';

/** Largest archive accepted by import, bytes (1 GiB). */
const MAX_ARCHIVE_BYTES = 1 << 30;

/**
 * Writes every regular file of `dir` (not sub-folders) into the zip `file`, atomically.
 * @returns the archive's size in bytes
 */
export async function exportModelFolder(dir: string, file: string): Promise<number> {
  const entries: Zippable = {};
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    entries[e.name] = [new Uint8Array(await readFile(path.join(dir, e.name))), { level: 1 }];
  }
  const zip = zipSync(entries);
  await writeFileAtomic(file, zip);
  return zip.byteLength;
}

interface Descriptor {
  id?: unknown;
  weights?: unknown;
  sha256?: unknown;
  [key: string]: unknown;
}

/**
 * Installs an archive as `<modelsDir>/<id>` (id: the one given, else the archive's own).
 * @returns the id and the weights' SHA-256
 * @throws InvalidInputError for a bad archive, a weights hash mismatch or an id in use
 */
export async function importModelArchive(
  file: string,
  modelsDir: string,
  id?: string,
): Promise<{ id: string; sha256: string }> {
  const bytes = new Uint8Array(await readFile(file));
  if (bytes.byteLength > MAX_ARCHIVE_BYTES) {
    throw new InvalidInputError(`${file}: archive larger than 1 GiB`);
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw new InvalidInputError(`${file}: not a zip archive (${(err as Error).message})`);
  }
  for (const name of Object.keys(files)) {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) {
      throw new InvalidInputError(`${file}: entry "${name}" is not a plain file name`);
    }
  }
  const text = (name: string): string => {
    const b = files[name];
    if (!b) throw new InvalidInputError(`${file}: has no ${name}`);
    return new TextDecoder().decode(b);
  };
  let descriptor: Descriptor;
  let manifest: { weightsFile?: unknown; sha256?: unknown };
  try {
    descriptor = JSON.parse(text('model.json')) as Descriptor;
    if (typeof descriptor.weights !== 'string') throw new Error('model.json names no weights');
    manifest = JSON.parse(text(descriptor.weights)) as typeof manifest;
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    throw new InvalidInputError(`${file}: ${(err as Error).message}`);
  }
  const bin = typeof manifest.weightsFile === 'string' ? files[manifest.weightsFile] : undefined;
  if (!bin) throw new InvalidInputError(`${file}: the weights binary is missing`);
  const sha256 = sha256Hex(bin);
  if (sha256 !== manifest.sha256 || (descriptor.sha256 && sha256 !== descriptor.sha256)) {
    throw new InvalidInputError(`${file}: the weights do not match their SHA-256`);
  }
  const newId = id ?? (typeof descriptor.id === 'string' ? descriptor.id : '');
  checkNewModelId(modelsDir, newId);
  const tmp = await mkdtemp(path.join(modelsDir, `.${newId}.tmp-`));
  try {
    for (const [name, data] of Object.entries(files)) {
      if (name === 'model.json') continue;
      await writeFile(path.join(tmp, name), data);
    }
    const imported = { ...descriptor, id: newId, imported: true };
    await writeFile(path.join(tmp, 'model.json'), `${JSON.stringify(imported, null, 1)}\n`);
    await chmod(tmp, 0o755);
    await rename(tmp, path.join(modelsDir, newId));
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw new ImageWriteError(path.join(modelsDir, newId), (err as Error).message);
  }
  return { id: newId, sha256 };
}
