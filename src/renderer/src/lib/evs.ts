/** Parses the bracket panel's EV list. */

/**
 * Parses "-2, -1, +1, 2" (commas or spaces) into EV offsets.
 * @returns the EVs, or an error line naming the bad entry (range −4…+4, no repeats, 1…17 values)
 */
export function parseEvList(
  text: string,
):
  { readonly ok: true; readonly evs: number[] } | { readonly ok: false; readonly message: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (parts.length === 0) return { ok: false, message: 'EV list is empty (e.g. "-2, -1, 1, 2")' };
  if (parts.length > 17)
    return { ok: false, message: `EV list has ${parts.length} values (max 17)` };
  const evs: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!/^[+-]?\d+(\.\d+)?$/.test(p) || !Number.isFinite(v)) {
      return { ok: false, message: `EV list: "${p}" is not a number` };
    }
    if (v < -4 || v > 4) return { ok: false, message: `EV list: ${p} is outside −4…+4` };
    if (evs.includes(v)) return { ok: false, message: `EV list: ${p} is repeated` };
    evs.push(v);
  }
  return { ok: true, evs };
}
