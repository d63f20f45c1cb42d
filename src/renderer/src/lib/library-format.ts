/** Display text for library facts: shutter times, sizes, cameras, dates. */

/** "1/125 s", "0.6 s", "30 s" for a shutter time in seconds. */
export function formatExposure(t: number): string {
  if (!(t > 0)) return '—';
  if (t < 0.5) return `1/${Math.round(1 / t)} s`;
  return `${Number(t.toPrecision(2))} s`;
}

/** "3.4 MB", "812 kB", "120 B" (decimal units). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

/** "Canon EOS R5" from make "Canon" and model "Canon EOS R5"; "Unknown camera" when neither. */
export function cameraLabel(make: string | null, model: string | null): string {
  if (!make && !model) return 'Unknown camera';
  if (!make) return model ?? '';
  if (!model) return make;
  return model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`;
}

/** "2024-02-02 09:00:00" from an EXIF ISO time (sub-seconds dropped), or the ms date. */
export function formatDate(iso: string | null, fallbackMs?: number): string {
  if (iso) return iso.replace('T', ' ').replace(/\.\d+/, '');
  if (fallbackMs === undefined) return '—';
  return new Date(fallbackMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}
