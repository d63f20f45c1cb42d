/**
 * Output file-name patterns of export jobs, shared by the export dialog (inline validation) and
 * the services (authoritative checks): tokens `{name}` (the input's file name without its
 * extension), `{ev}` (a frame's EV as "+2.00" / "-1.50", or "hdr" for a merged file) and
 * `{index}` (1-based position in the job, zero-padded to the width of the count). The extension
 * is appended from the format; a pattern never names a folder.
 */

/** Tokens a pattern may use. */
export const PATTERN_TOKENS = ['name', 'ev', 'index'] as const;
/** One token. */
export type PatternToken = (typeof PATTERN_TOKENS)[number];

/** Values substituted for the tokens of one output. */
export interface PatternValues {
  readonly name: string;
  /** EV label ("+2.00") or any short text ("hdr"); omitted where the job has no EVs. */
  readonly ev?: string;
  /** 1-based position. */
  readonly index: number;
  /** Number of outputs (sets the zero-padding of `{index}`). */
  readonly count: number;
}

/** Longest pattern accepted, characters. */
export const MAX_PATTERN_LENGTH = 200;

/** "+2.00", "-0.50", "+0.00": the `{ev}` text of a frame (as `bracketeer bracket` names frames). */
export function evText(ev: number): string {
  return `${ev < 0 ? '-' : '+'}${Math.abs(ev).toFixed(2)}`;
}

/**
 * Checks a pattern's syntax.
 * @param allowed - tokens the job provides (e.g. no `{ev}` for a tone-mapped export)
 * @returns null when valid, else one line naming the problem
 */
export function patternProblem(
  pattern: string,
  allowed: readonly PatternToken[] = PATTERN_TOKENS,
): string | null {
  if (pattern.trim() === '') return 'must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/[/\\]/.test(pattern)) return 'must not contain a path separator (/ or \\)';
  if (pattern.includes('..')) return "must not contain '..'";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f<>:"|?*]/.test(pattern)) {
    return 'must not contain control characters or any of < > : " | ? *';
  }
  for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
    if (!(allowed as readonly string[]).includes(m[1])) {
      return `unknown token {${m[1]}} (use ${allowed.map((t) => `{${t}}`).join(' ')})`;
    }
  }
  if (/[{}]/.test(pattern.replace(/\{[a-z]+\}/g, ''))) return 'has an unbalanced { or }';
  if (pattern.startsWith('.')) return "must not start with '.' (hidden file)";
  return null;
}

/**
 * Expands a (valid) pattern and appends `.ext`.
 * @param ext - extension without the dot, e.g. "tif"
 */
export function expandPattern(pattern: string, values: PatternValues, ext: string): string {
  const width = String(Math.max(1, values.count)).length;
  const base = pattern.replace(/\{(name|ev|index)\}/g, (_, token: PatternToken) => {
    if (token === 'name') return values.name;
    if (token === 'ev') return values.ev ?? '';
    return String(values.index).padStart(width, '0');
  });
  return `${base}.${ext}`;
}

/** The file name of `file` without folder and extension ("/a/b/photo.jpg" → "photo"). */
export function fileStem(file: string): string {
  const base = file.split(/[/\\]/).pop() ?? file;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * The first name that two outputs share (compared case-insensitively, as on macOS and Windows),
 * or null when all differ.
 */
export function duplicateName(names: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const n of names) {
    const k = n.toLowerCase();
    if (seen.has(k)) return n;
    seen.add(k);
  }
  return null;
}
