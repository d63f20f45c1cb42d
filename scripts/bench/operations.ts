/**
 * The operations benchmarked in-process, and which OpenCV call (if any) does the same work.
 * Parameters map as documented in opencv_peer.py; each OpenCV tone mapper runs with gamma 2.2 when
 * timed (display-ready output, like ours) and once more untimed with gamma 1 for the agreement.
 */
import { calibrateDebevec } from '../../src/core/camera/debevec-calibrate.js';
import { RESPONSE_LEVELS } from '../../src/core/camera/response.js';
import { fuseMertens } from '../../src/core/hdr/fuse-mertens.js';
import { mergeDebevec } from '../../src/core/hdr/merge-debevec.js';
import { mergeRobertson } from '../../src/core/hdr/merge-robertson.js';
import { createHdr, type Channels, type FloatImage } from '../../src/core/image/image.js';
import { listOperators, toneMap } from '../../src/core/tonemap/index.js';
import type { AgreementKind } from './agreement.js';
import type { BenchInput } from './inputs.js';

/** The OpenCV counterpart of an operation (run by opencv_peer.py). */
export interface OpenCvTask {
  /** Task name understood by opencv_peer.py. */
  readonly op: string;
  readonly params?: Readonly<Record<string, number>>;
  /** How its output is compared with ours. */
  readonly kind: AgreementKind;
  /** The OpenCV call, for the table. */
  readonly call: string;
}

/** One in-process operation. */
export interface Operation {
  /** e.g. "merge-debevec", "tonemap drago03". */
  readonly id: string;
  /** Runs our implementation once and returns its output (a response is a 256×1×C image). */
  run(input: BenchInput): FloatImage;
  readonly opencv?: OpenCvTask;
  /** Tone-mapping operator id, for the command-line peers. */
  readonly tonemapOp?: string;
}

function responseImage(inverse: readonly Float32Array[]): FloatImage {
  const ch = inverse.length as Channels;
  const data = new Float32Array(RESPONSE_LEVELS * ch);
  for (let z = 0; z < RESPONSE_LEVELS; z++) {
    for (let c = 0; c < ch; c++) data[z * ch + c] = inverse[c][z];
  }
  return createHdr(RESPONSE_LEVELS, 1, ch, data);
}

const OPENCV_TONEMAP: Readonly<Record<string, OpenCvTask>> = {
  drago03: {
    op: 'drago',
    params: { bias: 0.85, saturation: 1 },
    kind: 'display-linear',
    call: 'TonemapDrago(bias 0.85, sat 1)',
  },
  reinhard05: {
    op: 'reinhard',
    params: { intensity: 0, light_adapt: 1, color_adapt: 0 },
    kind: 'display-linear',
    call: 'TonemapReinhard(0, 1, 0)',
  },
  mantiuk06: {
    op: 'mantiuk',
    params: { scale: 0.7, saturation: 0.8 },
    kind: 'display-linear',
    call: 'TonemapMantiuk(scale 0.7, sat 0.8)',
  },
};

/** Every operation, in table order. */
export function operations(): Operation[] {
  const ops: Operation[] = [
    {
      id: 'calibrate-debevec',
      run: (i) => responseImage(calibrateDebevec(i.frames, i.times).inverse),
      opencv: {
        op: 'calibrate_debevec',
        params: { samples: 70, lambda: 10 },
        kind: 'response',
        call: 'CalibrateDebevec(70, 10, random=false)',
      },
    },
    {
      id: 'merge-debevec',
      run: (i) => mergeDebevec(i.frames, i.times, i.response),
      opencv: { op: 'merge_debevec', kind: 'hdr', call: 'MergeDebevec (same response)' },
    },
    {
      id: 'merge-robertson',
      run: (i) => mergeRobertson(i.frames, i.times, i.response),
      opencv: { op: 'merge_robertson', kind: 'hdr', call: 'MergeRobertson (same response)' },
    },
    {
      id: 'fuse-mertens',
      run: (i) => fuseMertens(i.frames),
      opencv: { op: 'mertens', kind: 'display', call: 'MergeMertens(1, 1, 1)' },
    },
  ];
  for (const meta of listOperators()) {
    ops.push({
      id: `tonemap ${meta.id}`,
      run: (i) => toneMap(i.hdr, meta.id),
      opencv: OPENCV_TONEMAP[meta.id],
      tonemapOp: meta.id,
    });
  }
  return ops;
}
