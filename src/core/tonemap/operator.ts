import type { HdrImage, FloatImage } from '../image/image.js';
import type { JobOptions } from '../job.js';

/** Describes one parameter of an operator: drives the panel's sliders, CLI flags and validation. */
export interface ParamMeta {
  /** Key used in code, CLI (`--param key=value`) and recipes. */
  readonly key: string;
  /** Human label, e.g. "Bias". */
  readonly label: string;
  /** Unit shown next to the value, e.g. "EV", "px", "" for unitless. */
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  /** Slider step. */
  readonly step: number;
  /** One sentence on what the parameter does. */
  readonly description: string;
}

/** Describes an operator. */
export interface OperatorMeta {
  /** Identifier named by paper and year, e.g. "drago03". */
  readonly id: string;
  /** Human name, e.g. "Drago 2003 adaptive logarithmic". */
  readonly name: string;
  /** Citation of the paper the operator implements. */
  readonly reference: string;
  /** "global" operators are a per-pixel curve; "local" ones look at neighbourhoods. */
  readonly kind: 'global' | 'local';
  readonly params: readonly ParamMeta[];
}

/** Parameter values by key. Missing keys take the meta default. */
export type ParamValues = Readonly<Record<string, number>>;

/**
 * A tone-mapping operator: scene-linear HDR in, display-referred image out.
 * The output is RGB in [0, 1], already encoded for display (sRGB transfer unless the operator
 * defines its own gamma), with NaN/Inf and out-of-gamut values made safe.
 */
export interface ToneMapOperator {
  readonly meta: OperatorMeta;
  apply(image: HdrImage, params: ParamValues, options?: JobOptions): FloatImage;
}
