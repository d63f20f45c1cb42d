/** Where the app's package.json is (source tree, or next to the bundled CLI), and its version. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string | null; version: string } | null = null;

function find(): { root: string | null; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'bracketeer') return { root: dir, version: pkg.version ?? 'unknown' };
      } catch {
        // unreadable: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { root: null, version: 'unknown' };
    dir = parent;
  }
}

/** The folder holding Bracketeer's package.json (found walking up from this module), or null. */
export function packageRoot(): string | null {
  cached ??= find();
  return cached.root;
}

/** The app version from package.json ("unknown" when it cannot be found). */
export function appVersion(): string {
  cached ??= find();
  return cached.version;
}
