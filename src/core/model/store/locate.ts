/**
 * Where shipped models live: `resources/models/<id>/` in the source tree and next to the bundled
 * CLI, or `<resources>/models/<id>/` in a packaged app (electron-builder extraResources).
 * `BRACKETEER_MODELS_DIR` overrides the search.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
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

/**
 * The folder holding the user's own models (fine-tunes): env BRACKETEER_USER_MODELS_DIR, else
 * BRACKETEER_MODELS_DIR when set, else `models/` in the platform's user-data folder (Linux
 * `$XDG_DATA_HOME/bracketeer/models`, else `~/.local/share/bracketeer/models`; macOS
 * `~/Library/Application Support/Bracketeer/models`; Windows `%APPDATA%\Bracketeer\models`,
 * the same folder as the app's userDataDir). Not created here.
 * @returns an absolute path
 */
export function userModelsDirectory(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const own = env.BRACKETEER_USER_MODELS_DIR?.trim();
  if (own) return path.resolve(own);
  const shared = env.BRACKETEER_MODELS_DIR?.trim();
  if (shared) return path.resolve(shared);
  if (platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'Bracketeer', 'models');
  }
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Bracketeer', 'models');
  }
  const xdg = env.XDG_DATA_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
  return path.join(base, 'bracketeer', 'models');
}

/**
 * Folders searched for a model id, in order: the shipped models ({@link modelsDirectory}), then
 * the user's ({@link userModelsDirectory}); duplicates removed.
 */
export function modelSearchDirectories(): string[] {
  const dirs = [modelsDirectory(), userModelsDirectory()].filter((d): d is string => !!d);
  return [...new Set(dirs)];
}
