import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathPolicy } from '../../../../src/main/services/paths.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bracketeer-paths-'));
  await mkdir(join(dir, 'allowed', 'stack'), { recursive: true });
  await mkdir(join(dir, 'other'), { recursive: true });
  await writeFile(join(dir, 'allowed', 'photo.jpg'), 'x');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('PathPolicy.inputDir', () => {
  it('accepts an existing folder under the roots', async () => {
    const p = new PathPolicy({ roots: [join(dir, 'allowed')] });
    await expect(p.inputDir(join(dir, 'allowed', 'stack'), 'stack')).resolves.toBe(
      join(dir, 'allowed', 'stack'),
    );
  });
  it('names the field and the path for a file, a missing folder and a folder outside the roots', async () => {
    const p = new PathPolicy({ roots: [join(dir, 'allowed')] });
    await expect(p.inputDir(join(dir, 'allowed', 'photo.jpg'), 'paths[0]')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/paths\[0\].*photo\.jpg is a file/),
    });
    await expect(p.inputDir(join(dir, 'allowed', 'nope'), 'paths[1]')).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('no such folder'),
    });
    await expect(p.inputDir(join(dir, 'other'), 'paths[2]')).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
