import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logFilePath, openLogFile } from '../../../src/main/app/log-file.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bracketeer-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('log file', () => {
  it('writes timestamped lines to <userData>/logs/main.log', () => {
    const file = logFilePath(dir);
    expect(file).toBe(path.join(dir, 'logs', 'main.log'));
    const log = openLogFile(file);
    log.info('started');
    log.warn('settings: bad file');
    log.error('two\nlines');
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}started$/);
    expect(lines[1]).toMatch(/ WARN {2}settings: bad file$/);
    expect(lines[2]).toMatch(/ ERROR two$/);
    expect(lines[3]).toBe('    lines');
  });

  it('rotates by size, keeping a bounded number of old files', () => {
    const file = logFilePath(dir);
    const log = openLogFile(file, { maxBytes: 1000, keep: 2 });
    const line = 'x'.repeat(100); // 100 + 31 bytes of prefix and newline per entry
    for (let i = 0; i < 40; i++) log.info(`${i} ${line}`);
    const dirLogs = path.dirname(file);
    expect(existsSync(path.join(dirLogs, 'main.1.log'))).toBe(true);
    expect(existsSync(path.join(dirLogs, 'main.2.log'))).toBe(true);
    expect(existsSync(path.join(dirLogs, 'main.3.log'))).toBe(false);
    for (const f of ['main.log', 'main.1.log', 'main.2.log']) {
      expect(statSync(path.join(dirLogs, f)).size).toBeLessThanOrEqual(1000);
    }
    // The newest entry is in main.log, the entries just before it in main.1.log.
    expect(readFileSync(file, 'utf8')).toContain(`39 ${line}`);
    const previous = readFileSync(path.join(dirLogs, 'main.1.log'), 'utf8').trim().split('\n');
    const firstCurrent = Number(/INFO {2}(\d+) /.exec(readFileSync(file, 'utf8'))?.[1]);
    expect(previous[previous.length - 1]).toContain(`${firstCurrent - 1} ${line}`);
  });
});
