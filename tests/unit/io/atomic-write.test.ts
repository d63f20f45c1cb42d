import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageWriteError } from '../../../src/core/errors.js';
import { writeFileAtomic } from '../../../src/core/io/atomic-write.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bracketeer-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes one buffer, replacing an existing file, and leaves no temporary file', async () => {
    const file = path.join(dir, 'one.bin');
    writeFileSync(file, 'old contents');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['one.bin']);
  });

  it('writes parts in order, views on larger buffers included', async () => {
    const file = path.join(dir, 'parts.bin');
    const big = new Uint8Array(300_000).map((_, i) => i % 251);
    const parts = [new Uint8Array([9, 8]), big.subarray(1000, 250_000), new Uint8Array(0), big];
    await writeFileAtomic(file, parts);
    expect(readFileSync(file).equals(Buffer.concat(parts))).toBe(true);
  });

  it('names the file when its folder does not exist and leaves the target untouched', async () => {
    const file = path.join(dir, 'missing', 'x.bin');
    await expect(writeFileAtomic(file, [new Uint8Array([1])])).rejects.toThrow(ImageWriteError);
    await expect(writeFileAtomic(file, new Uint8Array([1]))).rejects.toThrow(
      /missing\/x\.bin.*the directory does not exist/,
    );
    const target = path.join(dir, 'keep.bin');
    writeFileSync(target, 'kept');
    await expect(writeFileAtomic(path.join(target, 'child'), [])).rejects.toThrow(
      /not a directory/,
    );
    expect(readFileSync(target, 'utf8')).toBe('kept');
  });
});
