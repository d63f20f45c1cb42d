import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { fans, ParamStore } from '../../../../src/core/model/nn/params.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ParamStore', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const make = (seed: number) => {
      const s = new ParamStore(seed);
      s.add('a', [3, 3, 4, 8], { kind: 'he' });
      s.add('b', [8], { kind: 'glorot' });
      const out = s.list().map((e) => Array.from(e.variable.dataSync()));
      s.dispose();
      return out;
    };
    expect(make(7)).toEqual(make(7));
    expect(make(7)[0]).not.toEqual(make(8)[0]);
  });

  it('He init has std sqrt(2/fanIn) and Glorot sqrt(2/(fanIn+fanOut))', () => {
    const s = new ParamStore(3);
    const he = s.add('he', [3, 3, 32, 64], { kind: 'he' }).dataSync();
    const gl = s.add('gl', [3, 3, 32, 64], { kind: 'glorot' }).dataSync();
    const std = (d: ArrayLike<number>) => {
      let m = 0;
      for (let i = 0; i < d.length; i++) m += d[i];
      m /= d.length;
      let v = 0;
      for (let i = 0; i < d.length; i++) v += (d[i] - m) ** 2;
      return Math.sqrt(v / d.length);
    };
    expect(std(he)).toBeCloseTo(Math.sqrt(2 / 288), 2);
    expect(std(gl)).toBeCloseTo(Math.sqrt(2 / (288 + 576)), 2);
    s.dispose();
  });

  it('counts parameters, separates running statistics, rejects duplicates and frees everything', () => {
    const before = tf.memory().numTensors;
    const s = new ParamStore(1);
    s.add('w', [3, 3, 2, 4], { kind: 'he' });
    s.add('mean', [4], { kind: 'const', value: 0 }, false);
    expect(s.count()).toBe(72 + 4);
    expect(s.count(true)).toBe(72);
    expect(s.trainableVariables()).toHaveLength(1);
    expect(s.get('mean').dataSync()).toEqual(new Float32Array(4));
    expect(() => s.add('w', [1], { kind: 'he' })).toThrow(/duplicate/);
    expect(() => s.get('nope')).toThrow(/no parameter/);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes fans of conv and dense shapes', () => {
    expect(fans([3, 3, 4, 8])).toEqual({ fanIn: 36, fanOut: 72 });
    expect(fans([5, 7])).toEqual({ fanIn: 5, fanOut: 7 });
  });
});
