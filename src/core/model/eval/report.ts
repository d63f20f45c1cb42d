/**
 * Reports of the evaluation: JSON text of a result (non-finite scores as strings), a Markdown
 * table (rows: offsets; columns: PSNR and SSIM per method; then an HDR row block), and the
 * side-by-side PNGs (side-by-side.ts).
 */
import type { AggregateResult, HdrScore, StackResult } from './results.js';

export { sideBySide, writeSideBySides } from './side-by-side.js';

/** Any result the report functions take. */
export type EvalResult = StackResult | AggregateResult;

/**
 * JSON text of a result. JSON has no ±Infinity or NaN, so those scores (e.g. the PSNR of a
 * perfect prediction) are written as the strings "Infinity", "-Infinity" and "NaN".
 * @param indent - spaces of indentation (default 2)
 */
export function resultToJson(result: EvalResult, indent = 2): string {
  return JSON.stringify(
    result,
    (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    indent,
  );
}

/** A score for a table cell: fixed decimals, "∞" for +Infinity, "NaN" for NaN. */
export function formatScore(value: number, decimals: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (Number.isNaN(value)) return 'NaN';
  return value.toFixed(decimals);
}

function signed(v: number, decimals = 0): string {
  return `${v > 0 ? '+' : v < 0 ? '-' : '±'}${Math.abs(v).toFixed(decimals)}`;
}

function offsetLabel(offset: number, ev: number | null, n: number | null): string {
  let label = `${signed(offset, Number.isInteger(offset) ? 0 : 2)} EV`;
  if (ev !== null && Math.abs(ev - offset) >= 0.005) label += ` (${signed(ev, 2)})`;
  if (n !== null) label += ` (n=${n})`;
  return label;
}

function hdrRow(
  label: string,
  methods: readonly string[],
  scores: Readonly<Record<string, HdrScore>>,
  key: keyof HdrScore,
): string {
  const cells = methods.flatMap((m) => [scores[m] ? formatScore(scores[m][key], 2) : '—', '']);
  return `| ${label} | ${cells.join(' | ')} |`;
}

/**
 * Markdown table of a stack or aggregate result: a heading line, then one row per offset
 * (ascending; "missing" where the stack has no frame) with PSNR (dB, 2 decimals) and SSIM
 * (4 decimals) per method, then the rows "HDR PSNR-μ" and "HDR PU21-PSNR" (in the PSNR
 * columns), and, with a ground truth, a line scoring the real bracket's merge.
 */
export function markdownTable(result: EvalResult): string {
  const { methods } = result;
  const lines: string[] = [];
  if (result.kind === 'stack') {
    const ref = result.referenceFile ?? 'EV 0 frame';
    const t = result.referenceTime !== null ? ` (${result.referenceTime} s)` : '';
    const reg = result.region
      ? `, region ${result.region.width}×${result.region.height} at (${result.region.x}, ${result.region.y})`
      : '';
    lines.push(`**${result.name}**: reference ${ref}${t}, ${result.width}×${result.height}${reg}`);
  } else {
    lines.push(`**${result.name}**: mean over ${result.count} stack(s)`);
  }
  lines.push('');
  lines.push(
    `| Offset | ${methods.map((m) => `${m} PSNR (dB) | ${m} SSIM`).join(' | ')} |`,
    `|:--|${methods.map(() => '--:|--:|').join('')}`,
  );
  for (const row of result.rows) {
    const label =
      result.kind === 'stack'
        ? offsetLabel(row.offset, 'ev' in row ? row.ev : null, null)
        : offsetLabel(row.offset, null, 'n' in row ? row.n : null);
    const scores = row.scores;
    const cells = methods.flatMap((m) => {
      const s = scores?.[m];
      if (!scores) return ['missing', ''];
      return s ? [formatScore(s.psnr, 2), formatScore(s.ssim, 4)] : ['—', '—'];
    });
    lines.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  const hdr = result.hdr;
  if (hdr) {
    lines.push(hdrRow('HDR PSNR-μ', methods, hdr.methods, 'muPsnr'));
    lines.push(hdrRow('HDR PU21-PSNR', methods, hdr.methods, 'pu21Psnr'));
    lines.push('');
    const against =
      hdr.reference === 'ground-truth'
        ? 'the ground-truth radiance'
        : 'the real bracket merged with the same response';
    let note = `HDR: Debevec merge of each virtual bracket, scale-aligned, against ${against}.`;
    if (hdr.realBracket) {
      note +=
        ` Real bracket vs ground truth: PSNR-μ ${formatScore(hdr.realBracket.muPsnr, 2)} dB,` +
        ` PU21-PSNR ${formatScore(hdr.realBracket.pu21Psnr, 2)} dB.`;
    }
    lines.push(note);
  }
  if (result.kind === 'aggregate' && result.skipped.length) {
    lines.push('', `Skipped: ${result.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`);
  }
  return lines.join('\n') + '\n';
}
