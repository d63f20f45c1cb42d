/**
 * Where shipped models live: `resources/models/<id>/` in the source tree and next to the bundled
 * CLI, or `<resources>/models/<id>/` in a packaged app (electron-builder extraResources).
 * `BRACKETEER_MODELS_DIR` overrides the search.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Default shipped model id. */
export const DEFAULT_MODEL_ID = 'multi-exposure-lite';

/**
 * The folder holding shipped models: env BRACKETEER_MODELS_DIR, else the first `resources/models`
 * found walking up from this module's folder (source tree, bundled CLI in out/cli, or the
 * packaged app's resources folder), else null.
 */
export function modelsDirectory(): string | null {
  const env = process.env.BRACKETEER_MODELS_DIR;
  if (env) return path.resolve(env);
  const processResources = (process as { resourcesPath?: string }).resourcesPath;
  if (processResources && existsSync(path.join(processResources, 'models'))) {
    return path.join(processResources, 'models');
  }
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'resources', 'models');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
