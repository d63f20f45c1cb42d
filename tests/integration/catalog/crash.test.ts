/**
 * Crash safety: an import running in a child process is killed with SIGKILL at several points
 * (right after a file is committed, and 10…70 ms into the next file), repeatedly, on the
 * same catalog. After every kill the database must pass `PRAGMA integrity_check`, have no
 * dangling foreign keys, and every readable photo must reference a thumbnail that exists and
 * decodes, and carry the hash of its file. A final import then completes the batch.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { build } from 'esbuild';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../src/main/catalog/index.js';
import { sha256Of, tempLibrary, writeJpeg } from './fixtures.js';

const REPO = resolve(import.meta.dirname, '../../..');
const FILES = 12;
const lib = tempLibrary('bracketeer-crash-');
const files: string[] = [];
let child = '';

beforeAll(async () => {
  mkdirSync(lib.photos, { recursive: true });
  // The child runs the real catalog code, bundled from the sources; packages stay external and
  // resolve through a node_modules link next to the bundle.
  const dir = join(lib.dir, 'child');
  mkdirSync(dir);
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  child = join(dir, 'import-child.mjs');
  await build({
    entryPoints: [join(REPO, 'tests/integration/catalog/import-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  // Noisy 1280×960 JPEGs: tens of milliseconds each to hash, decode and thumbnail.
  for (let i = 0; i < FILES; i++) {
    const f = join(lib.photos, `frame-${String(i).padStart(2, '0')}.jpg`);
    await writeJpeg(f, 1280, 960, { seed: i, noise: true });
    files.push(f);
  }
  openCatalog(lib.db).close(); // schema in place, as when the app created it earlier
});
afterAll(() => lib.cleanup());

/** Runs the child import; kills it `delayMs` after its first added file. Resolves with the results seen. */
function importAndKill(delayMs: number): Promise<{ results: number; finished: boolean }> {
  return new Promise((done, fail) => {
    const p = fork(child, [lib.db, lib.thumbs, ...files], { execArgv: [], stdio: 'pipe' });
    let results = 0;
    let finished = false;
    let stderr = '';
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let added = 0;
    p.on('message', (m: { type: string; status?: string }) => {
      if (m.type === 'done') finished = true;
      if (m.type !== 'result') return;
      results++;
      // files committed by earlier runs come back 'unchanged'; kill after this run's first new one
      if (m.status === 'added' && ++added === 1) {
        const kill = (): void => {
          if (p.pid !== undefined && p.exitCode === null) process.kill(p.pid, 'SIGKILL');
        };
        if (delayMs === 0) kill();
        else setTimeout(kill, delayMs);
      }
    });
    p.on('error', fail);
    p.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) fail(new Error(`child failed (${code}): ${stderr}`));
      else done({ results, finished });
    });
  });
}

/** Checks the database as a fresh process would find it. Returns the number of photos. */
async function checkConsistent(): Promise<number> {
  const db = new BetterSqlite3(lib.db);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const rows = db
      .prepare('SELECT path, content_hash, thumbnail_path, status FROM photos')
      .all() as { path: string; content_hash: string; thumbnail_path: string; status: string }[];
    const paths = new Set(rows.map((r) => r.path));
    expect(paths.size).toBe(rows.length);
    for (const r of rows) {
      expect(r.status).toBe('ok');
      expect(r.content_hash).toBe(sha256Of(r.path));
      expect(existsSync(r.thumbnail_path)).toBe(true);
      const meta = await sharp(r.thumbnail_path).metadata();
      expect([meta.format, Math.max(meta.width, meta.height)]).toEqual(['jpeg', 320]);
    }
    return rows.length;
  } finally {
    db.close();
  }
}

describe('an import killed with SIGKILL', () => {
  it('leaves a consistent database every time, and a later import completes it', async () => {
    let last = 0;
    for (const delay of [0, 10, 30, 70]) {
      const t0 = performance.now();
      const run = await importAndKill(delay);
      const n = await checkConsistent();
      console.log(
        `kill ${delay} ms after the first added file: ${run.results} results seen, ${n}/${FILES} photos committed, consistent (${(performance.now() - t0).toFixed(0)} ms)`,
      );
      expect(run.finished).toBe(false);
      expect(n).toBeGreaterThan(last); // this run's first file stays committed
      expect(n).toBeLessThan(FILES); // it was really killed in the middle
      last = n;
    }
    const cat = openCatalog(lib.db);
    try {
      const results = await cat.importFiles(files, { thumbnailsDir: lib.thumbs });
      const unchanged = results.filter((r) => r.status === 'unchanged').length;
      expect(unchanged).toBe(last);
      expect(results.filter((r) => r.status === 'added').length).toBe(FILES - last);
      expect(cat.countPhotos()).toBe(FILES);
      // orphans of killed runs (thumbnail written, row not committed; temp files) are pruned
      const pruned = await cat.pruneThumbnails(lib.thumbs);
      console.log(`pruned ${pruned} orphan thumbnail/temporary file(s) after the kills`);
      expect(readdirSync(lib.thumbs).sort()).toEqual(
        cat
          .listPhotos({ limit: FILES })
          .map((p) => `${p.contentHash}.jpg`)
          .sort(),
      );
    } finally {
      cat.close();
    }
    expect(await checkConsistent()).toBe(FILES);
  });
});
