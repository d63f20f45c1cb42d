/** `app.info`: version, the model runtime's backend and the installed models. */
import {
  API_VERSION,
  parseRequest,
  type AppInfo,
  type InvokeRequest,
} from '../../shared/api/index.js';
import { listInstalledModels } from './installed-models.js';
import type { ModelRunner } from './jobs/model-runner.js';
import { appVersion } from './package-root.js';
import type { ServiceArea } from './service-area.js';

/** About the app. */
export class AppService implements ServiceArea {
  readonly name = 'app';
  readonly handlers = { 'app.info': this.info.bind(this) };

  constructor(
    private readonly runner: ModelRunner,
    private readonly version: string = appVersion(),
  ) {}

  /** Starts the model runtime if it is not running yet (a second or two the first time). */
  async info(request: InvokeRequest<'app.info'> = {}): Promise<AppInfo> {
    parseRequest('app.info', request);
    const [runtime, installed] = await Promise.all([
      this.runner.runtime().then(
        (info) => ({ info, error: null }),
        (err: unknown) => ({ info: null, error: err instanceof Error ? err.message : String(err) }),
      ),
      listInstalledModels(),
    ]);
    return {
      name: 'Bracketeer',
      version: this.version,
      apiVersion: API_VERSION,
      runtime: runtime.info,
      runtimeError: runtime.error,
      models: installed.models,
      modelsDirectory: installed.directory,
      node: process.versions.node,
    };
  }
}
