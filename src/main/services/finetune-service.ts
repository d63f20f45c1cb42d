/**
 * `finetune.*`: fine-tuning a model on the user's stacks as a queued job on the fine-tune worker.
 * Every run has a folder `<runsDir>/<runId>/` (run.json + the engine's checkpoints); the run id
 * is the new model's id. Pause stops the job after a checkpoint (the job ends `done` with
 * `stoppedBy: 'paused'`) and `finetune.resume` continues from it; cancelling (jobs.cancel)
 * removes the folder, and no model is written. Training events go out as `finetune.progress`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, InvalidInputError } from '../../core/errors.js';
import { checkNewModelId, type FinetuneSettings } from '../../core/model/finetune/index.js';
import {
  DEFAULT_MODEL_ID,
  modelSearchDirectories,
  userModelsDirectory,
} from '../../core/model/store/locate.js';
import {
  ApiError,
  parseRequest,
  type FinetuneJobResult,
  type FinetuneRun,
  type InvokeParsed,
  type InvokeRequest,
} from '../../shared/api/index.js';
import type { EventBus } from './event-bus.js';
import type { ImagePayload } from '../../shared/api/index.js';
import type { CropSet } from './jobs/finetune-crops.js';
import type { FinetuneOutcome, FinetuneSpec } from './jobs/finetune-protocol.js';
import type { FinetuneRunner } from './jobs/finetune-runner.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { PathPolicy } from './paths.js';
import type { ServiceArea } from './service-area.js';

/** Resolves a library tile id to the files of its stack. */
export type StackResolver = (tileId: number) => Promise<readonly string[]>;

/** What run.json holds. */
interface RunRecord {
  readonly runId: string;
  readonly inputs: readonly string[];
  readonly from: string;
  readonly settings: Partial<FinetuneSettings>;
  readonly createdAt: string;
  /** Steps done at the last pause. */
  readonly step: number;
}

interface Active {
  readonly jobId: string;
  readonly controller: AbortController;
  paused: boolean;
  step: number;
}

/** Options of {@link FinetuneService}. */
export interface FinetuneServiceOptions {
  readonly jobs: JobRegistry;
  readonly events: EventBus;
  readonly runner: FinetuneRunner;
  readonly paths: PathPolicy;
  /** Folder of the run folders (created on first use). */
  readonly runsDir: string;
  /** Library stacks (absent: `stacks` in requests are refused). */
  readonly resolveStack?: StackResolver;
  /** Where new models go (default: the user's models folder). */
  readonly modelsDir?: string;
}

/** Fine-tuning jobs. */
export class FinetuneService implements ServiceArea {
  readonly name = 'finetune';
  readonly handlers = {
    'finetune.start': this.start.bind(this),
    'finetune.pause': this.pause.bind(this),
    'finetune.resume': this.resume.bind(this),
    'finetune.discard': this.discard.bind(this),
    'finetune.runs': this.runs.bind(this),
    'finetune.crop': this.crop.bind(this),
  };
  private readonly active = new Map<string, Active>();
  /** The latest before/after crops of each run. */
  private readonly crops = new Map<string, CropSet>();

  constructor(private readonly o: FinetuneServiceOptions) {}

  private get modelsDir(): string {
    return path.resolve(this.o.modelsDir ?? userModelsDirectory());
  }

  private runDir(runId: string): string {
    return path.join(this.o.runsDir, runId);
  }

  private async inputs(req: InvokeParsed<'finetune.start'>): Promise<string[]> {
    const out: string[] = [];
    for (const [i, tile] of req.stacks.entries()) {
      if (!this.o.resolveStack) {
        throw new ApiError('invalid', `stacks[${i}]: no library is open`, `stacks[${i}]`);
      }
      const files = await this.o.resolveStack(tile);
      if (files.length < 2) {
        throw new ApiError(
          'invalid',
          `stacks[${i}]: library item ${tile} is not a bracket stack`,
          `stacks[${i}]`,
        );
      }
      out.push(...files);
    }
    for (const [i, p] of req.paths.entries()) {
      const field = `paths[${i}]`;
      let isDir: boolean;
      try {
        isDir = (await stat(p)).isDirectory();
      } catch {
        throw new ApiError('not-found', `${field}: ${p}: no such file or folder`, field);
      }
      out.push(
        isDir ? await this.o.paths.inputDir(p, field) : await this.o.paths.inputFile(p, field),
      );
    }
    return [...new Set(out)];
  }

  /**
   * Validates the request (inputs exist, base model installed, new id free) and queues the job.
   * @throws ApiError invalid / not-found naming the field
   */
  async start(request: InvokeRequest<'finetune.start'>): Promise<{ jobId: string; runId: string }> {
    const req = parseRequest('finetune.start', request);
    const from = req.from ?? DEFAULT_MODEL_ID;
    if (!modelSearchDirectories().some((d) => existsSync(path.join(d, from, 'model.json')))) {
      throw new ApiError('not-found', `from: no installed model "${from}"`, 'from');
    }
    try {
      checkNewModelId(this.modelsDir, req.out);
    } catch (err) {
      if (err instanceof InvalidInputError)
        throw new ApiError('invalid', `out: ${err.message}`, 'out');
      throw err;
    }
    if (existsSync(this.runDir(req.out))) {
      throw new ApiError(
        'invalid',
        `out: a paused run for "${req.out}" exists; resume or discard it`,
        'out',
      );
    }
    const inputs = await this.inputs(req);
    const settings: Partial<FinetuneSettings> = {
      steps: req.steps,
      holdoutFraction: req.holdout,
      validateEvery: req.validateEvery,
      checkpointEvery: req.validateEvery,
      patience: req.patience,
      learningRate: req.learningRate,
      batchSize: req.batchSize,
      cropSize: req.cropSize,
      seed: req.seed,
    };
    const record: RunRecord = {
      runId: req.out,
      inputs,
      from,
      settings: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
      createdAt: new Date().toISOString(),
      step: 0,
    };
    await mkdir(this.runDir(req.out), { recursive: true });
    await this.writeRecord(record);
    return { jobId: this.submit(record, false), runId: req.out };
  }

  private async writeRecord(r: RunRecord): Promise<void> {
    await writeFile(path.join(this.runDir(r.runId), 'run.json'), `${JSON.stringify(r, null, 1)}\n`);
  }

  private async readRecord(runId: string): Promise<RunRecord> {
    try {
      return JSON.parse(
        await readFile(path.join(this.runDir(runId), 'run.json'), 'utf8'),
      ) as RunRecord;
    } catch {
      throw new ApiError('not-found', `runId: no paused run "${runId}"`, 'runId');
    }
  }

  private submit(record: RunRecord, resume: boolean): string {
    const runDir = this.runDir(record.runId);
    const spec: FinetuneSpec = {
      inputs: record.inputs,
      from: record.from,
      id: record.runId,
      modelsDir: this.modelsDir,
      runDir,
      resume,
      settings: record.settings,
    };
    const label = `Fine-tune ${record.from} → ${record.runId}${resume ? ' (resumed)' : ''}`;
    const entry: { current: Active | null } = { current: null };
    const jobId = this.o.jobs.submit(
      'finetune',
      label,
      async ({ jobId: id, signal, onProgress }) => {
        const controller = new AbortController();
        const active: Active = { jobId: id, controller, paused: false, step: record.step };
        entry.current = active;
        this.active.set(record.runId, active);
        const onAbort = (): void => controller.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        let outcome: FinetuneOutcome;
        try {
          outcome = await this.o.runner.run(spec, {
            signal: controller.signal,
            onProgress,
            onEvent: (e) => {
              if (e.type === 'step' || e.type === 'checkpoint') active.step = e.step;
              this.o.events.emit('finetune.progress', { ...e, jobId: id, runId: record.runId });
            },
            onCrops: (c) => {
              this.crops.set(record.runId, c);
              this.o.events.emit('finetune.progress', {
                type: 'crops',
                jobId: id,
                runId: record.runId,
                step: c.step,
                totalSteps: record.settings.steps ?? 0,
                loss: null,
                stepsPerSecond: null,
                etaSeconds: null,
                psnr: null,
                meanPsnr: null,
                bestStep: c.step,
                message: `before/after crops of step ${c.step}`,
              });
            },
          });
        } catch (err) {
          if (!resume && !active.paused) await rm(runDir, { recursive: true, force: true });
          throw err;
        } finally {
          signal.removeEventListener('abort', onAbort);
          this.active.delete(record.runId);
        }
        if (outcome.stoppedBy === 'cancelled') {
          if (active.paused && !signal.aborted) {
            await this.writeRecord({ ...record, step: outcome.step });
            return this.result(record.runId, outcome, 'paused');
          }
          await rm(runDir, { recursive: true, force: true });
          this.crops.delete(record.runId);
          throw new CancelledError(
            `fine-tune of ${record.runId} cancelled at step ${outcome.step}`,
          );
        }
        await rm(runDir, { recursive: true, force: true });
        return this.result(record.runId, outcome, outcome.stoppedBy);
      },
    );
    return jobId;
  }

  private result(
    runId: string,
    o: FinetuneOutcome,
    stoppedBy: FinetuneJobResult['stoppedBy'],
  ): FinetuneJobResult {
    return {
      kind: 'finetune',
      runId,
      stoppedBy,
      model: o.model ? { id: o.model.id, sha256: o.model.sha256 } : null,
      step: o.step,
      bestStep: o.bestStep,
      beforeMean: o.beforeMean,
      afterMean: o.afterMean,
      table: o.table,
      stepsPerSecond: o.stepsPerSecond,
      wallSeconds: o.wallSeconds,
    };
  }

  /**
   * Pauses a running fine-tune (it checkpoints and ends as paused).
   * @throws ApiError not-found when the job is not a running fine-tune
   */
  async pause(request: InvokeRequest<'finetune.pause'>): Promise<{ runId: string }> {
    const req = parseRequest('finetune.pause', request);
    for (const [runId, a] of this.active) {
      if (a.jobId !== req.jobId) continue;
      a.paused = true;
      a.controller.abort();
      return { runId };
    }
    throw new ApiError('not-found', `jobId: no running fine-tune ${req.jobId}`, 'jobId');
  }

  /**
   * Queues the continuation of a paused run.
   * @throws ApiError not-found (no such run) / invalid (it is running)
   */
  async resume(
    request: InvokeRequest<'finetune.resume'>,
  ): Promise<{ jobId: string; runId: string }> {
    const req = parseRequest('finetune.resume', request);
    if (this.active.has(req.runId)) {
      throw new ApiError('invalid', `runId: "${req.runId}" is running`, 'runId');
    }
    const record = await this.readRecord(req.runId);
    return { jobId: this.submit(record, true), runId: req.runId };
  }

  /** Removes a paused run. @throws ApiError invalid when it is running */
  async discard(request: InvokeRequest<'finetune.discard'>): Promise<{ runId: string }> {
    const req = parseRequest('finetune.discard', request);
    if (this.active.has(req.runId)) {
      throw new ApiError('invalid', `runId: "${req.runId}" is running; cancel it first`, 'runId');
    }
    await this.readRecord(req.runId);
    await rm(this.runDir(req.runId), { recursive: true, force: true });
    this.crops.delete(req.runId);
    return { runId: req.runId };
  }

  /** Runs with a folder, oldest first. */
  async runs(): Promise<FinetuneRun[]> {
    let names: string[];
    try {
      names = await readdir(this.o.runsDir);
    } catch {
      return [];
    }
    const out: FinetuneRun[] = [];
    for (const name of names) {
      let r: RunRecord;
      try {
        r = await this.readRecord(name);
      } catch {
        continue;
      }
      const a = this.active.get(name);
      out.push({
        runId: r.runId,
        id: r.runId,
        from: r.from,
        state: a ? 'running' : 'paused',
        jobId: a?.jobId ?? null,
        step: a?.step ?? r.step,
        totalSteps: r.settings.steps ?? 0,
        createdAt: r.createdAt,
      });
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * A before/after crop of a run (8-bit RGB).
   * @throws ApiError not-found when the run has no crops (yet) or not at that EV
   */
  async crop(request: InvokeRequest<'finetune.crop'>): Promise<ImagePayload> {
    const req = parseRequest('finetune.crop', request);
    const c = this.crops.get(req.runId);
    if (!c) throw new ApiError('not-found', `runId: no crops for "${req.runId}" yet`, 'runId');
    const i = c.evs.indexOf(req.ev);
    if (req.which !== 'reference' && i < 0) {
      throw new ApiError('not-found', `ev: crops are rendered at ${c.evs.join(', ')} EV`, 'ev');
    }
    const data =
      req.which === 'reference' ? c.reference : req.which === 'base' ? c.base[i] : c.current[i];
    return { width: c.width, height: c.height, channels: 3, format: 'u8', data };
  }

  /** Stops the running fine-tune (its queue is this area's own) and the worker. */
  async close(): Promise<void> {
    await this.o.jobs.shutdown();
    await this.o.runner.close();
  }
}
