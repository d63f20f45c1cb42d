/**
 * The backend's services (plain Node, no Electron), behind the contract in src/shared/api: one
 * area per concern, merged into one handler per method. Transports (the HTTP server, Electron
 * IPC) validate requests, call `handlers[method]`, and forward `events`.
 *
 * The library catalog plugs in as another {@link ServiceArea} passed in `areas`.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INVOKE_METHODS, type InvokeMethod } from '../../shared/api/index.js';
import { AppService } from './app-service.js';
import { BracketService } from './bracket-service.js';
import { EventBus } from './event-bus.js';
import { HdrPreviewCache } from './hdr-preview-cache.js';
import { JobRegistry } from './jobs/job-registry.js';
import type { ModelRunner } from './jobs/model-runner.js';
import { workerRunner } from './jobs/worker-runner.js';
import { defaultWorkerScript as taskWorkerScript } from './jobs/worker-runner.js';
import { taskRunner } from './jobs/task-runner.js';
import { ExportService } from './export-service.js';
import { FinetuneService } from './finetune-service.js';
import {
  defaultFinetuneWorkerScript,
  workerFinetuneRunner,
  type FinetuneRunner,
} from './jobs/finetune-runner.js';
import { ModelsService } from './models-service.js';
import { JobRegistryGroup } from './jobs/job-registry-group.js';
import { StripService } from './strip-service.js';
import { JobsService } from './jobs-service.js';
import { LibraryService, libraryLocation, NoLibraryService } from './library-service.js';
import { OpsService } from './ops-service.js';
import { PathPolicy } from './paths.js';
import { PreviewService } from './preview-service.js';
import type { InvokeHandler, InvokeHandlers, ServiceArea } from './service-area.js';

export type { InvokeHandler, InvokeHandlers, ServiceArea } from './service-area.js';
export type { ModelRunner, BracketSpec, BracketOutput } from './jobs/model-runner.js';
export { EventBus, type EventSink } from './event-bus.js';
export { PathPolicy, type PathPolicyOptions } from './paths.js';
export { toApiError } from './error-mapping.js';
export {
  workerRunner,
  defaultWorkerScript,
  type WorkerRunnerOptions,
} from './jobs/worker-runner.js';
export type { TimedPayload } from './preview-service.js';

/** Options of {@link createServices}. */
export interface ServicesOptions {
  /** Where model work runs (default: a worker thread running out/cli/bracket-worker.js). */
  readonly runner?: ModelRunner;
  /**
   * Worker script of the editor's tasks (strip, slider renders, tone-mapped exports; default:
   * bracket-worker.js next to this bundle): one thread for previews, one for exports.
   */
  readonly taskWorkerScript?: URL | string;
  /** Folders requests may touch (default: anywhere the user can). */
  readonly roots?: readonly string[];
  /** Byte budget of the decoded-HDR preview cache (default 256 MiB). */
  readonly previewCacheBytes?: number;
  /** Minimum interval between two progress events of a job, ms (default 100). */
  readonly progressIntervalMs?: number;
  /** App version reported by app.info (default: package.json's). */
  readonly version?: string;
  /** More areas (e.g. the library catalog) serving methods no built-in area serves. */
  readonly areas?: readonly ServiceArea[];
  /**
   * User-data folder: when given, the library catalog `<dataDir>/library.sqlite` (created when
   * missing) and its thumbnails `<dataDir>/thumbnails` serve the `library.*` methods.
   */
  readonly dataDir?: string;
  /** Where fine-tunes train (default: a worker thread running finetune-worker.js). */
  readonly finetuneRunner?: FinetuneRunner;
}

/** The assembled backend. */
export interface Services {
  /** One handler per contract method. */
  readonly handlers: InvokeHandlers;
  /** The contract's events. */
  readonly events: EventBus;
  /** Every area, for direct use (tests, IPC). */
  readonly areas: readonly ServiceArea[];
  readonly runner: ModelRunner;
  readonly paths: PathPolicy;
  /** Cancels jobs, stops the model runtime, closes the areas. */
  close(): Promise<void>;
}

/**
 * Builds the services.
 * @throws Error when two areas serve the same method or a method has no handler
 */
export function createServices(options: ServicesOptions = {}): Services {
  const events = new EventBus();
  const runner = options.runner ?? workerRunner();
  const script = options.taskWorkerScript ?? taskWorkerScript();
  const previewTasks = taskRunner({ script, name: 'bracketeer-previews' });
  const exportTasks = taskRunner({ script, name: 'bracketeer-exports', cancelGraceMs: 0 });
  const paths = new PathPolicy({ roots: options.roots });
  const jobs = new JobRegistry(events, { progressIntervalMs: options.progressIntervalMs });
  // Fine-tunes queue on their own: hours of training never hold up the editor's jobs.
  const trainingJobs = new JobRegistry(events, { progressIntervalMs: options.progressIntervalMs });
  const areas: ServiceArea[] = [
    new AppService(runner, options.version),
    new OpsService(),
    new PreviewService(paths, new HdrPreviewCache(options.previewCacheBytes)),
    new BracketService(jobs, runner, paths),
    new StripService(jobs, previewTasks, paths, events),
    new ExportService(jobs, exportTasks, paths),
    new JobsService(new JobRegistryGroup(events, [jobs, trainingJobs])),
    new FinetuneService({
      jobs: trainingJobs,
      events,
      runner: options.finetuneRunner ?? workerFinetuneRunner(defaultFinetuneWorkerScript()),
      paths,
      runsDir: path.join(options.dataDir ?? path.join(tmpdir(), 'bracketeer'), 'finetune-runs'),
      resolveStack: async (id) => {
        const details = await merged['library.photo']!({ id });
        return (details as { frames: readonly { path: string }[] }).frames.map((f) => f.path);
      },
    }),
    new ModelsService(
      paths,
      path.join(options.dataDir ?? path.join(tmpdir(), 'bracketeer'), 'models-active.json'),
    ),
    ...(options.dataDir !== undefined
      ? [LibraryService.open(libraryLocation(options.dataDir), paths, events)]
      : options.areas?.some((a) => 'library.list' in a.handlers)
        ? []
        : [new NoLibraryService()]),
    ...(options.areas ?? []),
  ];
  const merged: Partial<Record<InvokeMethod, InvokeHandler<InvokeMethod>>> = {};
  for (const area of areas) {
    for (const [method, handler] of Object.entries(area.handlers)) {
      if (merged[method as InvokeMethod]) {
        throw new Error(`services: method ${method} is served twice (again by ${area.name})`);
      }
      merged[method as InvokeMethod] = handler as InvokeHandler<InvokeMethod>;
    }
  }
  const missing = INVOKE_METHODS.filter((m) => !merged[m]);
  if (missing.length > 0) throw new Error(`services: no handler for ${missing.join(', ')}`);
  let closing: Promise<void> | null = null;
  return {
    handlers: merged as InvokeHandlers,
    events,
    areas,
    runner,
    paths,
    close() {
      closing ??= (async () => {
        await jobs.shutdown();
        await runner.close();
        await previewTasks.close();
        await exportTasks.close();
        for (const area of areas) await area.close?.();
      })();
      return closing;
    },
  };
}
