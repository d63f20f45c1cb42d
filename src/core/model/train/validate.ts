/**
 * Validation during training: on held-out synthetic stacks, render every EV offset from the
 * EV-0 frame and measure PSNR against the frame the simulated camera recorded.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidInputError } from '../../errors.js';
import { throwIfAborted, type JobOptions } from '../../job.js';
import { psnr } from '../../metrics/psnr.js';
import type { MultiExposureModel } from '../architectures/multi-exposure/model.js';
import type { SynthStack } from '../data/synth-stack.js';

/** Mean PSNR (dB, peak 1) per EV offset over the stacks, and their mean over offsets. */
export interface ValidationScore {
  /** offset (e.g. "-3", "1") → mean PSNR in dB */
  readonly perOffset: Readonly<Record<string, number>>;
  readonly meanPsnr: number;
  readonly stacks: number;
}

/** PSNR with the identical-image case capped at 100 dB so means stay finite. */
function cappedPsnr(a: Float32Array, b: Float32Array, width: number, height: number): number {
  const v = psnr({ width, height, channels: 3, data: a }, { width, height, channels: 3, data: b });
  return Math.min(100, v);
}

/**
 * Scores `model` on `stacks` (all the same size, a multiple of the model's stride, each with an
 * EV-0 frame). Runs `chunk` stacks per forward pass.
 */
export async function validateModel(
  model: MultiExposureModel,
  stacks: readonly SynthStack[],
  chunk = 4,
  options: JobOptions = {},
): Promise<ValidationScore> {
  if (stacks.length === 0) throw new InvalidInputError('validation: no stacks');
  const { width, height, evs } = stacks[0];
  const ref = evs.indexOf(0);
  if (ref < 0) throw new InvalidInputError('validation: stacks need an EV 0 frame');
  const offsets = evs.filter((e) => e !== 0);
  const sums = new Map<number, number>(offsets.map((e) => [e, 0]));
  const frameSize = width * height * 3;
  for (let s0 = 0; s0 < stacks.length; s0 += chunk) {
    throwIfAborted(options.signal);
    const group = stacks.slice(s0, s0 + chunk);
    const input = new Float32Array(group.length * frameSize);
    group.forEach((st, k) => {
      if (st.width !== width || st.height !== height || st.evs.join() !== evs.join()) {
        throw new InvalidInputError('validation: stacks differ in size or EVs');
      }
      input.set(st.frames[ref], k * frameSize);
    });
    const x = tf.tensor4d(input, [group.length, height, width, 3]);
    try {
      const outs = model.generate(x, offsets);
      try {
        for (let o = 0; o < offsets.length; o++) {
          const data = (await outs[o].data()) as Float32Array;
          const target = evs.indexOf(offsets[o]);
          group.forEach((st, k) => {
            const rendered = data.subarray(k * frameSize, (k + 1) * frameSize);
            sums.set(
              offsets[o],
              sums.get(offsets[o])! + cappedPsnr(rendered, st.frames[target], width, height),
            );
          });
        }
      } finally {
        tf.dispose(outs);
      }
    } finally {
      x.dispose();
    }
    options.onProgress?.({ fraction: Math.min(1, (s0 + chunk) / stacks.length) });
  }
  const perOffset: Record<string, number> = {};
  let total = 0;
  for (const e of offsets) {
    const mean = sums.get(e)! / stacks.length;
    perOffset[String(e)] = mean;
    total += mean;
  }
  return { perOffset, meanPsnr: total / offsets.length, stacks: stacks.length };
}
