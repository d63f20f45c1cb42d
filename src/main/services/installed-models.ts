/** The models installed in the models folder (`<dir>/<id>/model.json` descriptors). */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MODEL_ID, modelsDirectory } from '../../core/model/store/index.js';
import type { ModelInfo } from '../../shared/api/index.js';

/**
 * Lists installed models, sorted by id; folders without a readable descriptor are skipped.
 * @returns the folder searched (null when none was found) and its models
 */
export async function listInstalledModels(): Promise<{
  directory: string | null;
  models: ModelInfo[];
}> {
  const directory = modelsDirectory();
  if (!directory) return { directory, models: [] };
  let entries: string[];
  try {
    entries = (await readdir(directory, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return { directory, models: [] };
  }
  const models: ModelInfo[] = [];
  for (const name of entries.sort()) {
    try {
      const raw = JSON.parse(await readFile(path.join(directory, name, 'model.json'), 'utf8')) as {
        architecture?: unknown;
        config?: unknown;
        sha256?: unknown;
        description?: unknown;
      };
      if (typeof raw.architecture !== 'string' || typeof raw.config !== 'string') continue;
      models.push({
        id: name,
        architecture: raw.architecture,
        config: raw.config,
        description: typeof raw.description === 'string' ? raw.description : null,
        sha256: typeof raw.sha256 === 'string' ? raw.sha256 : '',
        isDefault: name === DEFAULT_MODEL_ID,
      });
    } catch {
      // not a model folder
    }
  }
  return { directory, models };
}
