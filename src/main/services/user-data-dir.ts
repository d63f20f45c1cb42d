/**
 * The per-user data folder (library database, thumbnails), as desktop apps place it:
 * Linux `$XDG_DATA_HOME/bracketeer` (else `~/.local/share/bracketeer`), macOS
 * `~/Library/Application Support/Bracketeer`, Windows `%APPDATA%\Bracketeer`.
 */
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The user-data folder for a platform and environment (not created here).
 * @param platform - default `process.platform`
 * @param env - default `process.env`
 * @param home - default `os.homedir()`
 * @returns an absolute path
 */
export function userDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'Bracketeer');
  }
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Bracketeer');
  }
  const xdg = env.XDG_DATA_HOME?.trim();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'share');
  return path.join(base, 'bracketeer');
}
