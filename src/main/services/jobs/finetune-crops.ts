/**
 * Before/after crops of a fine-tune: a window (≤ 192 px) in the middle of the first stack's
 * held-out region, rendered from its reference frame at −2 and +2 EV by the base model and by
 * the best weights so far (`<runDir>/best/model.json`), as 8-bit RGB. Renders run one at a time,
 * interleaved with training on the same thread; a failed render is reported, never fatal.
 */
import path from 'node:path';
import { crop } from '../../../core/image/crop.js';
import type { LdrImage } from '../../../core/image/image.js';
import { readImage } from '../../../core/io/index.js';
import { heldOutRegion } from '../../../core/model/finetune/index.js';
import { generateBracket } from '../../../core/model/inference/tiled-bracket.js';
import { loadModel } from '../../../core/model/store/load-model.js';

/** EV offsets of the crops. */
export const CROP_EVS = [-2, 2] as const;
/** Largest side of a crop, px. */
const CROP_SIDE = 192;

/** One set of crops (8-bit RGB, width·height·3 bytes each). */
export interface CropSet {
  readonly step: number;
  readonly width: number;
  readonly height: number;
  readonly evs: readonly number[];
  readonly reference: Uint8Array;
  /** Base model, one per EV. */
  readonly base: readonly Uint8Array[];
  /** Best weights so far, one per EV. */
  readonly current: readonly Uint8Array[];
}

function toBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255);
  }
  return out;
}

/** Renders crops for one job. */
export class CropRenderer {
  private window: LdrImage | null = null;
  private base: Uint8Array[] | null = null;
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param from - the base model id
   * @param bestWeights - the job's best weights manifest
   * @param onCrops - receives every new set
   * @param onError - receives a one-line reason when a render fails
   */
  constructor(
    private readonly from: string,
    private readonly bestWeights: string,
    private readonly onCrops: (c: CropSet) => void,
    private readonly onError: (message: string) => void,
  ) {}

  /** Sets the stack the crops come from (its reference frame and the hold-out share). */
  setReference(file: string, holdoutFraction: number): void {
    this.enqueue(async () => {
      const img = await readImage(file);
      if (img.kind !== 'ldr' || img.channels !== 3) return;
      const r = heldOutRegion(img.width, img.height, holdoutFraction);
      const w = Math.min(CROP_SIDE, r.width);
      const h = Math.min(CROP_SIDE, r.height);
      const x = r.x + Math.floor((r.width - w) / 2);
      const y = r.y + Math.floor((r.height - h) / 2);
      this.window = crop(img, x, y, w, h);
    });
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      this.onError(`before/after crops: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private async render(ref: string): Promise<Uint8Array[]> {
    const loaded = await loadModel(ref);
    try {
      const frames = await generateBracket(loaded.model, this.window!, [...CROP_EVS]);
      return frames.map((f) => toBytes(f.data));
    } finally {
      loaded.model.dispose();
    }
  }

  /** Queues a render of the best weights so far (and of the base model, once) for `step`. */
  update(step: number): void {
    this.enqueue(async () => {
      if (!this.window) return;
      this.base ??= await this.render(this.from);
      const current = await this.render(path.resolve(this.bestWeights));
      this.onCrops({
        step,
        width: this.window.width,
        height: this.window.height,
        evs: [...CROP_EVS],
        reference: toBytes(this.window.data),
        base: this.base,
        current,
      });
    });
  }

  /** Resolves once every queued render has finished. */
  async idle(): Promise<void> {
    await this.queue;
  }
}
