/** The machine a benchmark ran on, for the report's header and JSON. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Machine description. */
export interface Machine {
  readonly cpu: string;
  /** Logical cores. */
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the run started (os.loadavg; 0 where unsupported). */
  readonly loadAverage: number;
  /** ISO date-time of the run. */
  readonly date: string;
}

/** Describes this machine (CPU model from /proc/cpuinfo where available). */
export function describeMachine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg()[0],
    date: new Date().toISOString(),
  };
}
