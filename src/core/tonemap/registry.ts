/**
 * The operator registry: every tone-mapping operator by id, and {@link toneMap}, the one call the
 * app, the CLI and the worker use (parameters validated against the operator's meta, adjustments
 * applied in the display stage).
 */
import type { FloatImage, HdrImage } from '../image/image.js';
import type { JobOptions } from '../job.js';
import { InvalidInputError } from '../errors.js';
import type { OperatorMeta, ToneMapOperator } from './operator.js';
import { resolveParams } from './params.js';
import type { RawParamValues } from './params.js';
import { encodeLinear } from './display.js';
import type { LinearStage } from './display.js';
import { applyAdjustments, clip, resolveAdjustments } from './adjust.js';
import type { Adjustments } from './adjust.js';
import { mulaw } from './mu-law.js';
import { reinhard02 } from './reinhard02.js';
import { drago03 } from './drago03.js';
import { reinhard05 } from './reinhard05.js';
import { durand02 } from './durand02.js';
import { fattal02 } from './fattal02.js';
import { mantiuk06 } from './mantiuk06.js';

const OPERATORS: readonly ToneMapOperator[] = [
  reinhard02,
  drago03,
  reinhard05,
  durand02,
  fattal02,
  mantiuk06,
  mulaw,
  clip,
];

const BY_ID = new Map(OPERATORS.map((op) => [op.meta.id, op]));

/** Metas of every registered operator, in display order. */
export function listOperators(): OperatorMeta[] {
  return OPERATORS.map((op) => op.meta);
}

/**
 * The operator with this id.
 * @throws InvalidInputError naming the known ids
 */
export function getOperator(id: string): ToneMapOperator {
  const op = BY_ID.get(id);
  if (!op) {
    throw new InvalidInputError(
      `Unknown tone-mapping operator "${id}"; known: ${[...BY_ID.keys()].join(', ')}`,
    );
  }
  return op;
}

function hasLinearStage(op: ToneMapOperator): op is ToneMapOperator & LinearStage {
  return typeof (op as Partial<LinearStage>).applyLinear === 'function';
}

/**
 * Tone-maps a scene-linear HDR image with an operator and the adjustments.
 *
 * Order: the operator (parameters validated and defaulted from its meta) → exposure (×2^EV on the
 * operator's display-linear output: every operator here normalises its input by a log-average or a
 * maximum, so an exposure change before it would cancel out) → saturation (linear RGB, around
 * luminance) → gamut mapping and the operator's transfer curve (sRGB by default) → gamma
 * (out^(1/γ)). Operators without a display-linear stage are decoded from sRGB and re-encoded.
 * @param params - operator parameters by key (numbers or numeric strings, e.g. from the CLI)
 * @returns a 3-channel display-referred image in [0, 1]
 * @throws InvalidInputError for an unknown id, unknown parameter or out-of-range value
 */
export function toneMap(
  img: HdrImage,
  id: string,
  params: RawParamValues = {},
  adjustments: Adjustments = {},
  options: JobOptions = {},
): FloatImage {
  const op = getOperator(id);
  const p = resolveParams(op.meta, params);
  const adj = resolveAdjustments(adjustments);
  if (hasLinearStage(op)) {
    const lin = op.applyLinear(img, p, options);
    return encodeLinear(
      lin,
      img.width,
      img.height,
      { exposure: adj.exposure, saturation: adj.saturation, postGamma: adj.gamma },
      options,
    );
  }
  return applyAdjustments(op.apply(img, p, options), adj);
}
