import { describe, expect, it } from 'vitest';
import { parseParamArgs, resolveParams } from '../../../src/core/tonemap/params.js';
import { InvalidInputError } from '../../../src/core/errors.js';
import type { OperatorMeta } from '../../../src/core/tonemap/operator.js';

const meta: OperatorMeta = {
  id: 'test',
  name: 'Test',
  reference: '',
  kind: 'global',
  params: [
    { key: 'a', label: 'A', unit: 'EV', min: -2, max: 2, default: 0.5, step: 0.1, description: '' },
    { key: 'b', label: 'B', unit: '', min: 0, max: 10, default: 3, step: 1, description: '' },
  ],
};

describe('resolveParams', () => {
  it('fills defaults and parses numeric strings', () => {
    expect(resolveParams(meta, {})).toEqual({ a: 0.5, b: 3 });
    expect(resolveParams(meta, { a: '-1.5', b: 10 })).toEqual({ a: -1.5, b: 10 });
  });
  it('rejects unknown keys, listing the valid ones', () => {
    expect(() => resolveParams(meta, { c: 1 })).toThrow(InvalidInputError);
    expect(() => resolveParams(meta, { c: 1 })).toThrow(/valid: a, b/);
  });
  it('rejects non-numeric, NaN and infinite values', () => {
    expect(() => resolveParams(meta, { a: 'abc' })).toThrow(/finite number/);
    expect(() => resolveParams(meta, { a: '' })).toThrow(/finite number/);
    expect(() => resolveParams(meta, { a: NaN })).toThrow(InvalidInputError);
    expect(() => resolveParams(meta, { b: Infinity })).toThrow(InvalidInputError);
  });
  it('rejects out-of-range values naming the range and unit', () => {
    expect(() => resolveParams(meta, { a: 3 })).toThrow(/\[-2, 2\] EV/);
    expect(() => resolveParams(meta, { b: -0.1 })).toThrow(/\[0, 10\]/);
  });
  it('accepts a bare parameter list', () => {
    expect(resolveParams(meta.params, { b: 4 })).toEqual({ a: 0.5, b: 4 });
  });
});

describe('parseParamArgs', () => {
  it('splits key=value pairs', () => {
    expect(parseParamArgs(['a=1', ' b = 2.5 ', 'a=3'])).toEqual({ a: '3', b: '2.5' });
    expect(parseParamArgs(['x=a=b'])).toEqual({ x: 'a=b' });
  });
  it('rejects malformed arguments', () => {
    expect(() => parseParamArgs(['novalue'])).toThrow(InvalidInputError);
    expect(() => parseParamArgs(['=3'])).toThrow(/key=value/);
  });
});
