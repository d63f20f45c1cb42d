/**
 * Whole-process comparisons: our CLI (`node bin/bracketeer.js …`) against command-line peers doing
 * the same job with their own I/O — pfstmo (pfsin | pfstmo_* | pfsgamma -g 2.2 | pfsout; pfstmo
 * operators output display-linear values, and their man pages pipe them through pfsgamma 2.2),
 * luminance-hdr-cli (-l in.hdr --tmo … -o out.png, its defaults, headless via
 * QT_QPA_PLATFORM=offscreen) and enfuse (Mertens weights 1/1/1, blended in the frames' own RGB).
 * All runs read the same .hdr file or PNG frames and write 8-bit PNG.
 */
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchInput } from './inputs.js';

/** A command-line peer and whether it is installed. */
export interface ToolInfo {
  readonly name: string;
  /** Absolute path, or undefined when not installed. */
  readonly path?: string;
  readonly version?: string;
}

/** One process-to-process comparison. */
export interface ProcessCase {
  /** Operation id as in operations.ts ("fuse-mertens", "tonemap drago03"). */
  readonly opId: string;
  /** Peer label for the table, e.g. "pfstmo_drago03". */
  readonly peer: string;
  /** Tool name as in {@link ToolInfo}. */
  readonly tool: string;
  readonly oursCmd: string;
  readonly oursOut: string;
  readonly peerCmd: string;
  readonly peerOut: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Absolute path of an executable on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function versionOf(cmd: string, args: string[], pattern: RegExp): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, env: HEADLESS });
  const m = pattern.exec(`${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  return m?.[1];
}

const HEADLESS = { ...process.env, QT_QPA_PLATFORM: 'offscreen' };

/** Detects pfstmo, luminance-hdr-cli and enfuse. */
export function detectTools(): ToolInfo[] {
  const pfs = ['pfsin', 'pfsout', 'pfsgamma'].every((t) => which(t)) ? which('pfsin') : undefined;
  const lum = which('luminance-hdr-cli');
  const enf = which('enfuse');
  return [
    {
      name: 'pfstmo',
      path: pfs,
      version: pfs ? versionOf('pfstmo_drago03', ['--help'], /\(([\d.]+)\)/) : undefined,
    },
    {
      name: 'luminance-hdr-cli',
      path: lum,
      version: lum ? versionOf(lum, ['--version'], /version ([\d.]+)/i) : undefined,
    },
    {
      name: 'enfuse',
      path: enf,
      version: enf ? versionOf(enf, ['--version'], /enfuse ([\d.]+)/) : undefined,
    },
  ];
}

const LUMINANCE_TMO: Readonly<Record<string, string>> = {
  drago03: 'drago',
  durand02: 'durand',
  fattal02: 'fattal',
  mantiuk06: 'mantiuk06',
  reinhard02: 'reinhard02',
  reinhard05: 'reinhard05',
};

/** Single-quotes a shell word. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const CLI = fileURLToPath(new URL('../../bin/bracketeer.js', import.meta.url));

/** Operators that pfstools 2 ships as pfstmo_<id>. */
const PFSTMO_OPS = new Set([
  'drago03',
  'durand02',
  'fattal02',
  'mantiuk06',
  'reinhard02',
  'reinhard05',
]);

/** A process peer of an operation: a runnable case, or the tool that is missing. */
export type ProcessPeer =
  { readonly case: ProcessCase } | { readonly missing: string; readonly peer: string };

/**
 * The command-line peers of one operation on one input: a case for each installed tool, a
 * `missing` entry for each peer that would apply but is not installed.
 */
export function processPeers(
  opId: string,
  input: BenchInput,
  tools: readonly ToolInfo[],
): ProcessPeer[] {
  const have = (name: string): boolean => tools.some((t) => t.name === name && t.path);
  const node = q(process.execPath);
  const dir = input.dir;
  const peers: ProcessPeer[] = [];
  if (opId === 'fuse-mertens') {
    if (!have('enfuse')) return [{ missing: 'enfuse', peer: 'enfuse' }];
    const frames = input.frameFiles.map(q).join(' ');
    const oursOut = path.join(dir, 'cli-fuse.png');
    const peerOut = path.join(dir, 'enfuse.png');
    peers.push({
      case: {
        opId,
        peer: 'enfuse',
        tool: 'enfuse',
        oursCmd: `${node} ${q(CLI)} fuse ${frames} -o ${q(oursOut)}`,
        oursOut,
        peerCmd:
          `enfuse --exposure-weight=1 --saturation-weight=1 --contrast-weight=1 ` +
          `--blend-colorspace=identity -o ${q(peerOut)} ${frames}`,
        peerOut,
      },
    });
    return peers;
  }
  const m = /^tonemap (\w+)$/.exec(opId);
  if (!m) return peers;
  const op = m[1];
  const oursOut = path.join(dir, `cli-${op}.png`);
  const oursCmd = `${node} ${q(CLI)} tonemap ${q(input.hdrFile)} --op ${op} -o ${q(oursOut)}`;
  if (PFSTMO_OPS.has(op)) {
    const peer = `pfstmo_${op}`;
    if (!have('pfstmo') || !which(peer)) {
      peers.push({ missing: 'pfstmo', peer });
    } else {
      const peerOut = path.join(dir, `pfstmo-${op}.png`);
      peers.push({
        case: {
          opId,
          peer,
          tool: 'pfstmo',
          oursCmd,
          oursOut,
          peerCmd: `pfsin ${q(input.hdrFile)} | ${peer} | pfsgamma -g 2.2 | pfsout ${q(peerOut)}`,
          peerOut,
        },
      });
    }
  }
  const tmo = LUMINANCE_TMO[op];
  if (tmo) {
    const peer = `luminance-hdr-cli --tmo ${tmo}`;
    if (!have('luminance-hdr-cli')) {
      peers.push({ missing: 'luminance-hdr-cli', peer });
    } else {
      const peerOut = path.join(dir, `luminance-${op}.png`);
      peers.push({
        case: {
          opId,
          peer,
          tool: 'luminance-hdr-cli',
          oursCmd,
          oursOut,
          peerCmd: `luminance-hdr-cli -l ${q(input.hdrFile)} --tmo ${tmo} -o ${q(peerOut)}`,
          peerOut,
          env: HEADLESS,
        },
      });
    }
  }
  return peers;
}
