/**
 * Parameter resolution and validation driven by an operator's meta: the same code checks values
 * from the panel's sliders, CLI `--param key=value` flags and saved recipes.
 */
import { InvalidInputError } from '../errors.js';
import type { OperatorMeta, ParamMeta } from './operator.js';

/** Raw parameter values as they arrive from a CLI or a recipe: numbers or numeric strings. */
export type RawParamValues = Readonly<Record<string, number | string>>;

function paramList(meta: OperatorMeta | readonly ParamMeta[]): {
  name: string;
  params: readonly ParamMeta[];
} {
  return 'params' in meta
    ? { name: meta.id, params: meta.params }
    : { name: 'adjustments', params: meta };
}

function describeRange(p: ParamMeta): string {
  return `[${p.min}, ${p.max}]${p.unit ? ` ${p.unit}` : ''}`;
}

/**
 * Fills in defaults and validates parameter values against a meta.
 * @param meta - an operator meta, or a bare list of parameter metas (e.g. the adjustments)
 * @param values - values by key; strings are parsed as numbers
 * @returns every key of the meta with a finite number inside [min, max]
 * @throws InvalidInputError for an unknown key (listing the valid ones), a non-numeric or NaN
 *   value, or a value outside [min, max] (naming the range and unit)
 */
export function resolveParams(
  meta: OperatorMeta | readonly ParamMeta[],
  values: RawParamValues = {},
): Record<string, number> {
  const { name, params } = paramList(meta);
  const out: Record<string, number> = {};
  for (const p of params) out[p.key] = p.default;
  for (const [key, raw] of Object.entries(values)) {
    const p = params.find((q) => q.key === key);
    if (!p) {
      const valid = params.map((q) => q.key).join(', ') || '(none)';
      throw new InvalidInputError(`Unknown parameter "${key}" for ${name}; valid: ${valid}`);
    }
    if (typeof raw !== 'number' && typeof raw !== 'string') {
      throw new InvalidInputError(`Parameter "${key}" of ${name} must be a number`);
    }
    const v = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(v)) {
      throw new InvalidInputError(
        `Parameter "${key}" of ${name} must be a finite number, got "${String(raw)}"`,
      );
    }
    if (v < p.min || v > p.max) {
      throw new InvalidInputError(
        `Parameter "${key}" (${p.label}) of ${name} = ${v} is out of range ${describeRange(p)}`,
      );
    }
    out[key] = v;
  }
  return out;
}

/**
 * Parses CLI `--param key=value` arguments into raw values (validation happens in
 * {@link resolveParams}). A later duplicate key wins.
 * @param args - strings of the form "key=value"
 * @throws InvalidInputError for an argument without "=" or with an empty key
 */
export function parseParamArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const key = eq > 0 ? arg.slice(0, eq).trim() : '';
    if (eq < 0 || key === '') {
      throw new InvalidInputError(`Expected --param key=value, got "${arg}"`);
    }
    out[key] = arg.slice(eq + 1).trim();
  }
  return out;
}
