/**
 * Puts an EXIF APP1 segment into an encoded JPEG without touching the compressed image data:
 * marker segments are walked up to the first SOS, existing EXIF APP1 segments are removed, and
 * the new one goes right after SOI (after a leading JFIF APP0, which must stay first).
 */

/** Largest TIFF structure an APP1 segment holds (65535 − 2 length bytes − "Exif\0\0"). */
export const MAX_JPEG_EXIF_BYTES = 65535 - 2 - 6;

interface Segment {
  readonly marker: number;
  /** Offset of the 0xFF of the marker. */
  readonly start: number;
  /** Offset just past the segment. */
  readonly end: number;
}

/** Result of {@link scanJpeg}. */
export interface JpegLayout {
  readonly segments: readonly Segment[];
  /** Offset of the SOS marker (start of entropy-coded data). */
  readonly sos: number;
  readonly width: number;
  readonly height: number;
}

const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
const JFIF_ID = [0x4a, 0x46, 0x49, 0x46, 0x00];

function hasId(jpeg: Uint8Array, seg: Segment, id: readonly number[]): boolean {
  return seg.end - seg.start >= 4 + id.length && id.every((b, i) => jpeg[seg.start + 4 + i] === b);
}

const isSof = (m: number): boolean =>
  m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * Lists the marker segments before the first SOS.
 * @throws Error when the data is not a JPEG or is truncated before SOS / has no frame header
 */
export function scanJpeg(jpeg: Uint8Array): JpegLayout {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8)
    throw new Error('no JPEG SOI marker');
  const segments: Segment[] = [];
  let width = 0;
  let height = 0;
  let p = 2;
  for (;;) {
    if (p + 4 > jpeg.length) throw new Error('JPEG truncated before the image data');
    if (jpeg[p] !== 0xff) throw new Error(`no JPEG marker at byte ${p}`);
    let q = p + 1;
    while (jpeg[q] === 0xff && q < jpeg.length) q++; // fill bytes
    const marker = jpeg[q];
    if (marker === 0xd9) throw new Error('JPEG ends before the image data');
    if (q + 3 > jpeg.length) throw new Error('JPEG truncated before the image data');
    const len = (jpeg[q + 1] << 8) | jpeg[q + 2];
    if (len < 2 || q + 1 + len > jpeg.length) throw new Error(`bad JPEG segment length at ${q}`);
    if (marker === 0xda) {
      if (width === 0 || height === 0) throw new Error('JPEG has no frame header');
      return { segments, sos: p, width, height };
    }
    if (isSof(marker) && len >= 7) {
      height = (jpeg[q + 4] << 8) | jpeg[q + 5];
      width = (jpeg[q + 6] << 8) | jpeg[q + 7];
    }
    segments.push({ marker, start: p, end: q + 1 + len });
    p = q + 1 + len;
  }
}

/**
 * Returns a copy of `jpeg` whose only EXIF is `tiff` (a TIFF header + IFDs, offsets relative to
 * its first byte). XMP (also APP1), ICC and all other segments are kept in order; the
 * entropy-coded data is copied byte for byte.
 * @throws Error when `jpeg` is not a well-formed JPEG or `tiff` exceeds {@link MAX_JPEG_EXIF_BYTES}
 */
export function replaceJpegExif(
  jpeg: Uint8Array,
  tiff: Uint8Array,
  layout = scanJpeg(jpeg),
): Uint8Array {
  if (tiff.length > MAX_JPEG_EXIF_BYTES) {
    throw new Error(`EXIF of ${tiff.length} bytes does not fit a JPEG APP1 segment`);
  }
  const kept = layout.segments.filter((s) => !(s.marker === 0xe1 && hasId(jpeg, s, EXIF_ID)));
  const first = kept[0];
  const jfifFirst = first !== undefined && first.marker === 0xe0 && hasId(jpeg, first, JFIF_ID);
  const app1Len = 2 + 6 + tiff.length;
  const app1 = new Uint8Array(2 + app1Len);
  app1.set([0xff, 0xe1, app1Len >> 8, app1Len & 0xff, ...EXIF_ID]);
  app1.set(tiff, 10);
  const parts: Uint8Array[] = [jpeg.subarray(0, 2)];
  kept.forEach((s, i) => {
    if (i === 0 && jfifFirst) parts.push(jpeg.subarray(s.start, s.end), app1);
    else {
      if (i === 0) parts.push(app1);
      parts.push(jpeg.subarray(s.start, s.end));
    }
  });
  if (kept.length === 0) parts.push(app1);
  parts.push(jpeg.subarray(layout.sos));
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
