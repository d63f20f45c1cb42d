/**
 * `bracket.strip`, `bracket.frame` and `bracket.render`: the editor's virtual bracket strip and
 * EV slider. The photo is decoded at display size here (exactly as `image.preview` does, so the
 * EV 0 frame equals the preview); the model work runs on the task worker, which encodes the
 * photo once and keeps its latent, so each further EV costs only N2/N3. Strip frames are kept
 * in a small in-memory cache (the last few strip jobs) and announced by `bracket.frameReady`.
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { isOpenExr, isRadiance } from '../../core/io/index.js';
import {
  ApiError,
  parseRequest,
  type ImagePayload,
  type InvokeRequest,
  type StripJobResult,
} from '../../shared/api/index.js';
import type { EventBus } from './event-bus.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { TaskRunner } from './jobs/task-runner.js';
import { NEEDS_PHOTO, type FrameOutput, type PreviewPixels } from './jobs/task-protocol.js';
import { ldrPreview, sharpDepth } from './ldr-preview.js';
import type { PathPolicy } from './paths.js';
import type { TimedPayload } from './preview-service.js';
import { requireModel } from './require-model.js';
import type { ServiceArea } from './service-area.js';

/** Strip jobs whose frames stay fetchable (7 frames of 1024 px ≈ 15 MB each). */
const KEEP_STRIPS = 3;

function payload(frame: FrameOutput): ImagePayload {
  return { width: frame.width, height: frame.height, channels: 3, format: 'u8', data: frame.data };
}

/** Strip jobs and slider renders. */
export class StripService implements ServiceArea {
  readonly name = 'strip';
  readonly handlers = {
    'bracket.strip': this.strip.bind(this),
    'bracket.frame': this.frame.bind(this),
    'bracket.render': this.render.bind(this),
  };
  private readonly frames = new Map<string, Map<number, ImagePayload>>();

  constructor(
    private readonly jobs: JobRegistry,
    private readonly tasks: TaskRunner,
    private readonly paths: PathPolicy,
    private readonly events: EventBus,
  ) {}

  /** Rejects HDR files (a virtual bracket starts from a photo). */
  private async checkPhoto(file: string, field: string): Promise<void> {
    const handle = await open(file, 'r');
    const head = new Uint8Array(4);
    try {
      await handle.read(head, 0, 4, 0);
    } finally {
      await handle.close();
    }
    let hdr = isOpenExr(head) || isRadiance(head);
    if (!hdr) {
      const depth = await sharpDepth(file).catch(() => 'uchar');
      hdr = depth === 'float' || depth === 'double';
    }
    if (hdr) {
      throw new ApiError(
        'invalid',
        `${field}: ${file} is an HDR image; a virtual bracket starts from a photo (JPEG, PNG, TIFF…)`,
        field,
      );
    }
  }

  private async key(file: string, maxSize: number, model: string): Promise<string> {
    const st = await stat(file);
    return `${model}|${file}|${st.mtimeMs}|${st.size}|${maxSize}`;
  }

  private async photo(file: string, maxSize: number): Promise<PreviewPixels> {
    return ldrPreview(file, maxSize);
  }

  /**
   * Queues a strip job: the photo at display size, rendered at every EV; each frame is announced
   * with `bracket.frameReady` and fetched with `bracket.frame`.
   * @throws ApiError invalid / not-found naming the field
   */
  async strip(request: InvokeRequest<'bracket.strip'>): Promise<{ jobId: string }> {
    const req = parseRequest('bracket.strip', request);
    const file = await this.paths.inputFile(req.path, 'path');
    await this.checkPhoto(file, 'path');
    const model = await requireModel(req.model);
    const { evs, maxSize } = req;
    const label = `${path.basename(file)}: strip ${evs.length} EVs (${maxSize} px)`;
    const jobId = this.jobs.submit('strip', label, async ({ jobId: id, signal, onProgress }) => {
      const t0 = performance.now();
      onProgress({ fraction: 0, message: 'Decoding the photo' });
      const key = await this.key(file, maxSize, model);
      const photo = await this.photo(file, maxSize);
      const store = new Map<number, ImagePayload>();
      this.frames.set(id, store);
      while (this.frames.size > KEEP_STRIPS) {
        this.frames.delete(this.frames.keys().next().value as string);
      }
      const out = await this.tasks.strip(
        { key, model, photo, evs },
        {
          signal,
          onProgress,
          onFrame: (index, frame) => {
            store.set(frame.ev, payload(frame));
            this.events.emit('bracket.frameReady', {
              jobId: id,
              ev: frame.ev,
              index,
              width: frame.width,
              height: frame.height,
            });
          },
        },
      );
      const result: StripJobResult = {
        kind: 'strip',
        path: file,
        width: photo.width,
        height: photo.height,
        evs,
        model: out.model,
        renderMs: out.renderMs,
        totalMs: performance.now() - t0,
      };
      return result;
    });
    return { jobId };
  }

  /**
   * A frame of a strip job.
   * @throws ApiError not-found when the job is unknown (or evicted) or the frame is not ready
   */
  async frame(request: InvokeRequest<'bracket.frame'>): Promise<ImagePayload> {
    const { jobId, ev } = parseRequest('bracket.frame', request);
    const store = this.frames.get(jobId);
    if (!store) throw new ApiError('not-found', `jobId: no strip frames for job ${jobId}`, 'jobId');
    const frame = store.get(ev);
    if (!frame)
      throw new ApiError('not-found', `ev: frame ${ev} of job ${jobId} is not ready`, 'ev');
    return frame;
  }

  /**
   * One display-size frame at any EV: only N2/N3 run while the worker holds the photo's latent
   * (the photo is decoded and encoded on a miss).
   * @throws ApiError invalid / not-found naming the field
   */
  async render(request: InvokeRequest<'bracket.render'>): Promise<TimedPayload> {
    const req = parseRequest('bracket.render', request);
    const file = await this.paths.inputFile(req.path, 'path');
    const model = await requireModel(req.model);
    const key = await this.key(file, req.maxSize, model);
    const t0 = performance.now();
    let frame: FrameOutput;
    let decodeMs = 0;
    try {
      frame = await this.tasks.render({ key, model, ev: req.ev });
    } catch (err) {
      if (!(err instanceof Error) || err.name !== NEEDS_PHOTO) throw err;
      await this.checkPhoto(file, 'path');
      const td = performance.now();
      const photo = await this.photo(file, req.maxSize);
      decodeMs = performance.now() - td;
      frame = await this.tasks.render({ key, model, ev: req.ev, photo });
    }
    return {
      ...payload(frame),
      timing: {
        ...(decodeMs > 0 ? { decode: decodeMs } : {}),
        render: frame.renderMs,
        total: performance.now() - t0,
      },
      cache: frame.encoded ? 'miss' : 'hit',
    };
  }
}
