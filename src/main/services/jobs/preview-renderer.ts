/**
 * Display-size virtual frames for the editor (the bracket strip and the EV slider), on the
 * model's thread: the photo is encoded once (N1) into a latent kept for the last photo, and each
 * EV costs only N2/N3 over that latent. The whole (stride-padded) preview is one tile, so no
 * seams; EV 0 is the photo itself, sample for sample.
 */
import * as tf from '@tensorflow/tfjs-core';
import { throwIfAborted, type JobOptions } from '../../../core/job.js';
import { paddedSize, reflectPad } from '../../../core/model/inference/pad.js';
import type { LoadedModel } from '../../../core/model/store/index.js';
import {
  NEEDS_PHOTO,
  type FrameOutput,
  type PreviewPixels,
  type RenderSpec,
  type StripOutput,
  type StripSpec,
} from './task-protocol.js';

interface Latent {
  readonly key: string;
  readonly model: LoadedModel;
  readonly photo: PreviewPixels;
  readonly tensor: tf.Tensor4D;
  /** the padded photo, kept when the model's renderers need it (exposure prior) */
  readonly input: tf.Tensor4D | null;
}

/** Raised by a render whose photo is not cached and was not sent. */
export class NeedsPhotoError extends Error {
  constructor() {
    super('the photo is not cached in the model worker; send its pixels');
    this.name = NEEDS_PHOTO;
  }
}

/** u8 RGB → floats in [0, 1], reflect-padded to multiples of `stride`. */
function toPaddedFloats(
  photo: PreviewPixels,
  stride: number,
): { data: Float32Array; pw: number; ph: number } {
  const { width, height, data } = photo;
  const floats = new Float32Array(width * height * 3);
  for (let i = 0; i < floats.length; i++) floats[i] = data[i] / 255;
  const pw = paddedSize(width, stride);
  const ph = paddedSize(height, stride);
  if (pw === width && ph === height) return { data: floats, pw, ph };
  return { data: reflectPad(floats, width, height, 3, pw, ph), pw, ph };
}

/** Rounds [0, 1] floats of the top-left width×height of a padded frame to u8. */
function cropToU8(src: Float32Array, pw: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  let o = 0;
  for (let y = 0; y < height; y++) {
    let i = y * pw * 3;
    for (let x = 0; x < width * 3; x++, i++) {
      const v = src[i] * 255 + 0.5;
      out[o++] = v > 0 ? (v < 255 ? v : 255) : 0;
    }
  }
  return out;
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Keeps the latent of the last photo and renders frames from it. */
export class PreviewRenderer {
  private latent: Latent | null = null;

  /** Encodes `photo` (or reuses the cached latent of `key` for the same model). */
  private async encode(key: string, model: LoadedModel, photo: PreviewPixels): Promise<Latent> {
    if (this.latent?.key === key && this.latent.model === model) return this.latent;
    this.dispose();
    const { data, pw, ph } = toPaddedFloats(photo, model.model.stride);
    const input = tf.tensor4d(data, [1, ph, pw, 3]);
    const tensor = tf.tidy(() => model.model.encode(input));
    await tensor.data(); // materialise now so the encode cost is paid here
    const keep = model.model.needsInput ? input : null;
    if (!keep) input.dispose();
    this.latent = { key, model, photo, tensor, input: keep };
    return this.latent;
  }

  private async renderEv(latent: Latent, ev: number): Promise<FrameOutput> {
    const { width, height } = latent.photo;
    if (ev === 0) {
      return { width, height, data: latent.photo.data.slice(), ev, renderMs: 0, encoded: false };
    }
    const t0 = performance.now();
    const out = tf.tidy(() =>
      latent.model.model.render(latent.tensor, ev, latent.input ?? undefined),
    );
    let data: Float32Array;
    try {
      data = (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
    const pw = latent.tensor.shape[2];
    const pixels = cropToU8(data, pw, width, height);
    return { width, height, data: pixels, ev, renderMs: performance.now() - t0, encoded: false };
  }

  /**
   * Renders every EV of `spec`, handing each frame to `onFrame` as soon as it is done.
   * @throws CancelledError when the signal aborts (checked between frames)
   */
  async strip(
    spec: StripSpec,
    model: LoadedModel,
    options: JobOptions,
    onFrame: (index: number, frame: FrameOutput) => void,
  ): Promise<StripOutput> {
    const total = spec.evs.filter((ev) => ev !== 0).length + 1;
    const t0 = performance.now();
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: 0, message: 'Encoding the photo' });
    const latent = await this.encode(spec.key, model, spec.photo);
    let done = 1;
    options.onProgress?.({ fraction: done / total, message: 'Encoded' });
    for (let i = 0; i < spec.evs.length; i++) {
      await yieldTurn(); // lets a cancel message land
      throwIfAborted(options.signal);
      const ev = spec.evs[i];
      const frame = await this.renderEv(latent, ev);
      if (ev !== 0) done++;
      onFrame(i, frame);
      options.onProgress?.({
        fraction: done / total,
        message: `EV ${ev > 0 ? '+' : ''}${ev}: ${i + 1}/${spec.evs.length} frames`,
      });
    }
    return { model: { id: model.id, sha256: model.sha256 }, renderMs: performance.now() - t0 };
  }

  /**
   * One frame at `spec.ev`.
   * @throws NeedsPhotoError when the latent of `spec.key` is not cached and no photo came along
   */
  async render(spec: RenderSpec, model: LoadedModel): Promise<FrameOutput> {
    const cached = this.latent?.key === spec.key && this.latent.model === model;
    if (!cached && !spec.photo) throw new NeedsPhotoError();
    const t0 = performance.now();
    const latent = await this.encode(spec.key, model, spec.photo ?? this.latent!.photo);
    const frame = await this.renderEv(latent, spec.ev);
    return { ...frame, renderMs: performance.now() - t0, encoded: !cached };
  }

  /** Frees the cached latent. */
  dispose(): void {
    this.latent?.tensor.dispose();
    this.latent?.input?.dispose();
    this.latent = null;
  }
}
