import { stat } from 'node:fs/promises';
import { ev100 } from '../../core/exif/exposure.js';
import { readExposureInfo } from '../../core/exif/read-exif.js';
import { luminance } from '../../core/image/luminance.js';
import type { AnyImage } from '../../core/image/image.js';
import { readImage } from '../../core/io/index.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

interface LuminanceStats {
  min: number;
  max: number;
  logAverage: number;
  /** log2(max / smallest positive) — the image's dynamic range in stops. */
  stops: number;
}

function luminanceStats(img: AnyImage): LuminanceStats {
  const y = luminance(img);
  let min = Infinity;
  let max = 0;
  let minPositive = Infinity;
  let logSum = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v > 0 && v < minPositive) minPositive = v;
    logSum += Math.log(Math.max(v, 1e-9));
  }
  const stops = max > 0 && Number.isFinite(minPositive) ? Math.log2(max / minPositive) : 0;
  return { min, max, logAverage: Math.exp(logSum / y.length), stops };
}

export const info: Command = {
  name: 'info',
  summary: 'show an image’s size, format, pixel statistics and exposure EXIF',
  usage: `Usage: bracketeer info <file> [--json]

Prints size, kind (LDR display-referred or HDR scene-linear), bit depth, luminance range and the
exposure EXIF (ExposureTime, FNumber, ISO, ExposureBiasValue, camera, lens, capture time,
orientation). Fields the file does not record are listed as missing, never guessed.`,
  options: {},
  async run(args) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new UsageError('expects exactly one file');
    const [img, st] = await Promise.all([readImage(file), stat(file)]);
    // Radiance and OpenEXR files carry no EXIF block: say so instead of failing to read one.
    const exif = img.kind === 'ldr' ? await readExposureInfo(file) : undefined;
    const stats = luminanceStats(img);
    const derivedEv =
      exif?.exposureTime && exif.fNumber && exif.iso
        ? ev100(exif.exposureTime, exif.fNumber, exif.iso)
        : undefined;
    const data = {
      file,
      bytes: st.size,
      width: img.width,
      height: img.height,
      channels: img.channels,
      kind: img.kind,
      bitDepth: img.kind === 'ldr' ? img.bitDepth : 32,
      luminance: stats,
      exif: exif ? { ...exif, ev100: derivedEv } : null,
    };
    const fmt = (v: number | string | undefined, unit = ''): string =>
      v === undefined ? '—' : `${typeof v === 'number' ? +v.toPrecision(6) : v}${unit}`;
    const exifLines = exif
      ? [
          `  exposure    ${fmt(exif.exposureTime, ' s')}  f/${fmt(exif.fNumber)}  ISO ${fmt(exif.iso)}  bias ${fmt(exif.exposureBias, ' EV')}  EV100 ${fmt(derivedEv)}`,
          `  camera      ${fmt(exif.make)} ${fmt(exif.model)}  lens ${fmt(exif.lensModel)}`,
          `  captured    ${fmt(exif.dateTimeOriginal)}  orientation ${fmt(exif.orientation)}`,
          `  missing     ${exif.missing.length ? exif.missing.join(', ') : 'none'}`,
        ]
      : ['  exif        none (HDR file formats carry no EXIF)'];
    const lines = [
      `${file}`,
      `  size        ${img.width}×${img.height} (${((img.width * img.height) / 1e6).toFixed(1)} MP), ${st.size} bytes`,
      `  kind        ${img.kind === 'hdr' ? 'HDR, scene-linear float' : `LDR, ${img.bitDepth}-bit display-referred`}`,
      `  luminance   min ${fmt(stats.min)}  max ${fmt(stats.max)}  log-average ${fmt(stats.logAverage)}  range ${stats.stops.toFixed(1)} stops`,
      ...exifLines,
    ];
    return { text: lines.join('\n'), data };
  },
};
