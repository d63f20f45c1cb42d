/** The benchmark's result rows and their Markdown rendering. */

/** One row of the results table. */
export interface Row {
  /** Operation id, e.g. "merge-debevec", "tonemap drago03". */
  readonly operation: string;
  /** Input label. */
  readonly input: string;
  /** Our median time, ms (in-process call, or our CLI process for process rows). */
  readonly oursMs?: number;
  readonly oursRuns?: readonly number[];
  /** Peer label; "—" when the operation has none. */
  readonly peer: string;
  readonly peerMs?: number;
  readonly peerRuns?: readonly number[];
  /** "in-process" (same inputs in memory, work only) or "process" (whole processes, I/O included). */
  readonly mode: 'in-process' | 'process';
  /** Agreement in dB (see agreement.ts for the metric of each kind). */
  readonly agreementDb?: number;
  readonly agreementKind?: string;
  readonly note: string;
}

/** Time ratio ours/peer, or undefined. */
export function ratio(row: Row): number | undefined {
  return row.oursMs !== undefined && row.peerMs ? row.oursMs / row.peerMs : undefined;
}

function ms(v: number | undefined): string {
  if (v === undefined) return '—';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function db(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  return v === Infinity ? '∞' : v.toFixed(1);
}

/** Whether a row meets the aim (≤ 1.5× OpenCV, faster than the other peers). */
export function meetsAim(row: Row): boolean | undefined {
  const r = ratio(row);
  if (r === undefined) return undefined;
  return row.peer.startsWith('OpenCV') ? r <= 1.5 : r < 1;
}

/** Renders the rows as a Markdown table. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| operation | input | ours ms | peer | peer ms | ratio ours/peer | agreement dB | note |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const k = ratio(r);
    const aim = meetsAim(r);
    const ratioText = k === undefined ? '—' : `${k.toFixed(2)}${aim === false ? ' ✗' : ''}`;
    const peer = r.mode === 'process' && r.peerMs !== undefined ? `${r.peer} (process)` : r.peer;
    lines.push(
      `| ${r.operation} | ${r.input} | ${ms(r.oursMs)} | ${peer} | ${ms(r.peerMs)} | ${ratioText} | ${db(r.agreementDb)} | ${r.note} |`,
    );
  }
  return lines.join('\n');
}
