/**
 * A small two-axis line chart on a 2D canvas (no chart library: CSP-safe, a few hundred points):
 * training loss (left axis, log scale) and held-out PSNR (right axis, dB) over steps.
 */

/** Colours of the chart. */
export interface ChartColors {
  readonly loss: string;
  readonly psnr: string;
  readonly grid: string;
  readonly text: string;
}

type Points = readonly (readonly [number, number])[];

/** The axis range of `values`: padded by 8 %, at least `minSpan` wide (centred). */
function range(values: readonly number[], minSpan: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < minSpan) {
    const mid = (hi + lo) / 2;
    return [mid - minSpan / 2, mid + minSpan / 2];
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/**
 * Draws loss (log10, left) and PSNR (right) against step into `ctx` of size w × h CSS pixels.
 * @param maxStep - the x axis ends here (the planned steps), ≥ 1
 */
export function drawTrainChart(
  ctx: CanvasRenderingContext2D,
  w: number,
  h: number,
  loss: Points,
  psnr: Points,
  maxStep: number,
  c: ChartColors,
): void {
  const left = 48;
  const right = 48;
  const top = 10;
  const bottom = 22;
  const pw = Math.max(1, w - left - right);
  const ph = Math.max(1, h - top - bottom);
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineWidth = 1;
  const xMax = Math.max(1, maxStep, ...loss.map(([s]) => s), ...psnr.map(([s]) => s));
  const x = (s: number) => left + (s / xMax) * pw;
  const logLoss = loss.filter(([, v]) => v > 0).map(([s, v]) => [s, Math.log10(v)] as const);
  const [l0, l1] = range(
    logLoss.map(([, v]) => v),
    0.05,
  );
  const [p0, p1] = range(
    psnr.map(([, v]) => v),
    0.4,
  );
  const yL = (v: number) => top + ph - ((v - l0) / (l1 - l0)) * ph;
  const yP = (v: number) => top + ph - ((v - p0) / (p1 - p0)) * ph;
  // grid and labels
  ctx.strokeStyle = c.grid;
  ctx.fillStyle = c.text;
  for (let i = 0; i <= 4; i++) {
    const y = top + (ph * i) / 4;
    ctx.beginPath();
    ctx.moveTo(left, y + 0.5);
    ctx.lineTo(left + pw, y + 0.5);
    ctx.stroke();
    const lv = l1 - ((l1 - l0) * i) / 4;
    const pv = p1 - ((p1 - p0) * i) / 4;
    ctx.textAlign = 'right';
    if (logLoss.length) ctx.fillText((10 ** lv).toPrecision(2), left - 4, y + 4);
    ctx.textAlign = 'left';
    if (psnr.length) ctx.fillText(pv.toFixed(p1 - p0 < 2 ? 2 : 1), left + pw + 4, y + 4);
  }
  ctx.textAlign = 'center';
  for (let i = 0; i <= 4; i++) {
    const s = Math.round((xMax * i) / 4);
    ctx.fillText(String(s), x(s), top + ph + 15);
  }
  const line = (
    pts: readonly (readonly [number, number])[],
    y: (v: number) => number,
    color: string,
    dots: boolean,
  ) => {
    if (pts.length === 0) return;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    pts.forEach(([s, v], i) => (i === 0 ? ctx.moveTo(x(s), y(v)) : ctx.lineTo(x(s), y(v))));
    ctx.stroke();
    if (dots) {
      for (const [s, v] of pts) {
        ctx.beginPath();
        ctx.arc(x(s), y(v), 2.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.lineWidth = 1;
  };
  line(logLoss, yL, c.loss, false);
  line(psnr, yP, c.psnr, true);
}
