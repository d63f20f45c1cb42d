/**
 * Model archives: a folder exported to .zip and imported under a new id has byte-identical
 * files (model.json aside, which gets the new id); archives with tampered weights, folder
 * entries or a taken id are refused and leave nothing behind.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../../src/core/model/nn/weights-io.js';
import {
  exportModelFolder,
  importModelArchive,
} from '../../../../src/main/services/model-archive.js';

let root = '';
let models = '';
const bin = new Uint8Array(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));
const sha = sha256Hex(bin);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bracketeer-archive-'));
  models = path.join(root, 'models');
  const dir = path.join(models, 'mine');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'weights.bin'), bin);
  await writeFile(
    path.join(dir, 'weights.json'),
    JSON.stringify({ weightsFile: 'weights.bin', sha256: sha, byteLength: bin.length }),
  );
  await writeFile(
    path.join(dir, 'model.json'),
    JSON.stringify({ id: 'mine', weights: 'weights.json', sha256: sha, kind: 'fine-tune' }),
  );
  await writeFile(path.join(dir, 'README.md'), '# mine\n');
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('model archives', () => {
  it('round-trips a folder under a new id', async () => {
    const zip = path.join(root, 'mine.zip');
    const bytes = await exportModelFolder(path.join(models, 'mine'), zip);
    expect(bytes).toBe((await readFile(zip)).byteLength);
    const r = await importModelArchive(zip, models, 'copy');
    expect(r).toEqual({ id: 'copy', sha256: sha });
    for (const f of ['weights.bin', 'weights.json', 'README.md']) {
      expect(await readFile(path.join(models, 'copy', f))).toEqual(
        await readFile(path.join(models, 'mine', f)),
      );
    }
    const d = JSON.parse(await readFile(path.join(models, 'copy', 'model.json'), 'utf8'));
    expect(d).toMatchObject({ id: 'copy', sha256: sha, kind: 'fine-tune', imported: true });
    await expect(importModelArchive(zip, models, 'copy')).rejects.toThrow(/already exists/);
  });

  it('refuses tampered weights and nested entries, leaving no folder', async () => {
    const files = unzipSync(new Uint8Array(await readFile(path.join(root, 'mine.zip'))));
    const bad = new Uint8Array(files['weights.bin']);
    bad[10] ^= 1;
    const tampered = path.join(root, 'tampered.zip');
    await writeFile(tampered, zipSync({ ...files, 'weights.bin': bad }));
    await expect(importModelArchive(tampered, models, 'bad')).rejects.toThrow(/SHA-256/);
    const nested = path.join(root, 'nested.zip');
    await writeFile(nested, zipSync({ ...files, 'x/../../evil.txt': strToU8('x') }));
    await expect(importModelArchive(nested, models, 'bad')).rejects.toThrow(/not a plain file/);
    expect((await readdir(models)).sort()).toEqual(['copy', 'mine']);
  });
});
