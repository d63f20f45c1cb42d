import path from 'node:path';
import { writeVirtualBracket, type BracketFormat } from '../../core/model/bracket/index.js';
import {
  photoProfile,
  profileLabel,
  profileResponse,
  type StoredCameraProfile,
} from '../../core/model/finetune/profile-file.js';
import { DEFAULT_MODEL_ID, loadModel } from '../../core/model/store/index.js';
import type { Command } from '../command.js';
import { numberOption, requireOutput, stringOption } from '../frames.js';
import { parseEvList, RUNTIME_OPTIONS, RUNTIME_USAGE, startRuntime } from '../model-runtime.js';
import { UsageError } from '../usage-error.js';

export const bracket: Command = {
  name: 'bracket',
  summary: 'generate a virtual exposure bracket from one photo (neural network)',
  usage: `Usage: bracketeer bracket <photo> -o <outdir> [--ev -3,-2,-1,1,2,3] [options]

Renders the photo as if taken at other exposures (EV offsets in [-4, +4], fractions allowed)
with the multi-exposure model and writes one file per EV: <name>_ev+2.00.tif|.jpg, carrying the
photo's EXIF with ExposureBiasValue and ExposureTime set per frame. The photo is never modified.

  --ev LIST            EV offsets, comma-separated (default -3,-2,-1,1,2,3)
  --format F           tif16 (16-bit TIFF, default) or jpg
  --quality Q          JPEG quality 1…100 (default 95)
  --merge FILE         also merge the bracket (with the photo as EV 0) to .exr or .hdr; the
                       merge uses the model's camera profile (camera-response.json) when it
                       is for the photo's camera (EXIF Make Model), else a response
                       calibrated on the virtual frames
  --model ID|FILE      shipped model id (default ${DEFAULT_MODEL_ID}) or a weights .json
  --tile PX            largest tile side for inference (default 1024; on ONNX Runtime the
                       largest up to 1536 that keeps the bracket, the frame being written
                       included, within 1.45 GB)
${RUNTIME_USAGE}`,
  options: {
    ev: { type: 'string' },
    format: { type: 'string' },
    quality: { type: 'string' },
    merge: { type: 'string' },
    model: { type: 'string' },
    tile: { type: 'string' },
    output: { type: 'string', short: 'o' },
    ...RUNTIME_OPTIONS,
  },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new UsageError('expects exactly one photo');
    const outDir = requireOutput(args);
    const evs = parseEvList(stringOption(args, 'ev') ?? '-3,-2,-1,1,2,3');
    const format = stringOption(args, 'format') ?? 'tif16';
    if (format !== 'tif16' && format !== 'jpg') {
      throw new UsageError(`--format must be tif16 or jpg, got "${format}"`);
    }
    const quality = numberOption(
      args,
      'quality',
      95,
      (v) => Number.isInteger(v) && v >= 1 && v <= 100,
    );
    const tileSize =
      stringOption(args, 'tile') === undefined
        ? undefined
        : numberOption(args, 'tile', 1024, (v) => Number.isInteger(v) && v >= 64);
    const backend = await startRuntime(args);
    const loaded = await loadModel(stringOption(args, 'model') ?? DEFAULT_MODEL_ID);
    try {
      const mergeTo = stringOption(args, 'merge');
      let profile: StoredCameraProfile | null = null;
      if (mergeTo) {
        const found = await photoProfile(path.dirname(loaded.manifestPath), file);
        if (found.applies) profile = found.profile;
      }
      const r = await writeVirtualBracket(loaded.model, file, evs, {
        outDir,
        format: format as BracketFormat,
        quality,
        tileSize,
        mergeTo,
        ...(profile ? { response: profileResponse(profile) } : {}),
        signal: ctx.signal,
        onProgress: ctx.onProgress,
      });
      const mp = (r.input.width * r.input.height) / 1e6;
      const gflops = r.flops / 1e9 / (r.renderMs / 1000);
      const lines = [
        `${file}: ${r.input.width}×${r.input.height} (${mp.toFixed(1)} MP), model ${loaded.id}, backend ${backend.inference.name} (${backend.inference.threads} threads)`,
        ...r.frames.map((f) => `  EV ${f.ev > 0 ? '+' : ''}${f.ev}  ${f.file}`),
        ...(r.merged ? [`  merged HDR  ${r.merged}`] : []),
        ...(r.merged
          ? [
              profile
                ? `response: camera profile "${profileLabel(profile)}" (residual ${profile.residual.toFixed(3)}, from model ${loaded.id})`
                : 'response: calibrated on the virtual frames',
            ]
          : []),
        `rendered ${r.frames.length} frame(s) in ${(r.renderMs / 1000).toFixed(1)} s (${gflops.toFixed(1)} GFLOP/s), ${(r.totalMs / 1000).toFixed(1)} s in all`,
      ];
      return {
        text: lines.join('\n'),
        data: {
          ...r,
          model: { id: loaded.id, sha256: loaded.sha256 },
          backend,
          ...(profile
            ? { profile: { key: profile.key, style: profile.style, residual: profile.residual } }
            : {}),
        },
      };
    } finally {
      loaded.model.dispose();
    }
  },
};
