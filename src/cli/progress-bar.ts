import type { Progress } from '../core/job.js';

/** Where the bar draws; defaults to process.stderr. */
export interface BarStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): boolean;
}

/**
 * A one-line progress bar on stderr. It stays hidden for the first `delayMs` (so quick jobs
 * print nothing) and is silent when the stream is not a terminal or when `quiet` is set.
 */
export class ProgressBar {
  private readonly start = Date.now();
  private shown = false;
  private lastDraw = 0;
  private lastFraction = 0;

  constructor(
    private readonly stream: BarStream = process.stderr,
    private readonly quiet = false,
    private readonly delayMs = 1000,
  ) {}

  /** Progress callback to hand to core jobs. */
  readonly update = (p: Progress): void => {
    this.lastFraction = Math.max(this.lastFraction, Math.min(1, Math.max(0, p.fraction)));
    if (this.quiet || !this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.start < this.delayMs || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    this.stream.write(`\r${this.render(p.message ?? '', now)}\x1b[K`);
  };

  /** Clears the bar line if it was drawn. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  private render(message: string, now: number): string {
    const f = this.lastFraction;
    const elapsed = (now - this.start) / 1000;
    const eta = f > 0.01 ? (elapsed * (1 - f)) / f : NaN;
    const width = 28;
    const filled = Math.round(f * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const pct = `${Math.floor(f * 100)}`.padStart(3);
    const etaText = Number.isFinite(eta) ? ` ETA ${formatSeconds(eta)}` : '';
    const line = `${bar} ${pct}% ${formatSeconds(elapsed)}${etaText} ${message}`;
    const cols = this.stream.columns ?? 80;
    return line.length > cols - 1 ? line.slice(0, cols - 1) : line;
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}
