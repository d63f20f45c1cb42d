/** Shared set-up of the server tests: a server on port 0, a tiny model, fixtures, event capture. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import WebSocket from 'ws';
import { TINY_CONFIG } from '../../../src/core/model/architectures/multi-exposure/config.js';
import { createMultiExposureModel } from '../../../src/core/model/architectures/multi-exposure/model.js';
import { saveWeights } from '../../../src/core/model/nn/weights-io.js';
import {
  createServices,
  type Services,
  type ServicesOptions,
} from '../../../src/main/services/index.js';
import { inProcessRunner } from '../../../src/main/services/jobs/in-process-runner.js';
import { startServer, type RunningServer } from '../../../src/server/index.js';
import {
  createHttpApi,
  EVENT_NAMES,
  type EventMessage,
  type EventSocket,
  type HttpApi,
} from '../../../src/shared/api/index.js';

const run = promisify(execFile);
export const REPO = resolve(import.meta.dirname, '../../..');

/** A running test server with its services, a typed client and the events it pushed. */
export interface TestServer {
  readonly server: RunningServer;
  readonly services: Services;
  readonly api: HttpApi;
  /** Every event received over the WebSocket, in order. */
  readonly events: EventMessage[];
  /** Raw POST /api/<method> with the token (or `token: null` for none). */
  post(method: string, body: unknown, token?: string | null): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts services (in-process model runner unless one is given) and a server on port 0, and
 * subscribes to every event over a real WebSocket.
 */
export async function startTestServer(options: ServicesOptions = {}): Promise<TestServer> {
  const services = createServices({ runner: inProcessRunner(), ...options });
  const server = await startServer({ services, port: 0, rendererDir: null, log: () => undefined });
  const api = createHttpApi({
    baseUrl: server.url,
    token: server.token,
    WebSocket: WebSocket as unknown as new (url: string) => EventSocket,
  });
  const events: EventMessage[] = [];
  for (const name of EVENT_NAMES) {
    api.on(name, (payload) => events.push({ event: name, payload } as EventMessage));
  }
  await api.connect();
  return {
    server,
    services,
    api,
    events,
    post: (method, body, token = server.token) =>
      fetch(`${server.url}/api/${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }),
    async close() {
      api.close();
      await server.close();
      await services.close();
    },
  };
}

/** Resolves once `test` holds, polling every 20 ms. @throws after `timeoutMs` */
export async function waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A temp folder (removed by the returned function). */
export async function tempDir(
  prefix: string,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `bracketeer-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Installs a TINY_CONFIG model with random weights as `<modelsDir>/<id>/` (weights + model.json
 * descriptor, as a shipped model).
 * @returns the weights' SHA-256
 */
export async function installTinyModel(modelsDir: string, id: string, seed = 3): Promise<string> {
  tf.env().set('PROD', true); // no console banner
  await tf.setBackend('cpu');
  const folder = join(modelsDir, id);
  await mkdir(folder, { recursive: true });
  const model = createMultiExposureModel(TINY_CONFIG, seed);
  let sha256: string;
  try {
    sha256 = (await saveWeights(join(folder, 'weights'), model.params, { config: TINY_CONFIG }))
      .sha256;
  } finally {
    model.dispose();
  }
  const descriptor = {
    id,
    architecture: 'multi-exposure',
    config: 'tiny',
    weights: 'weights.json',
    sha256,
    description: 'random weights for tests',
  };
  await writeFile(join(folder, 'model.json'), JSON.stringify(descriptor, null, 1));
  return sha256;
}

/**
 * Bundles the CLI and the model worker with the CLI's esbuild options into a fresh folder under
 * out/ (so their external packages resolve from node_modules), as `npm run build:cli` does into
 * out/cli/.
 * @returns the folder, the two scripts and a function removing them
 */
export async function buildBundles(): Promise<{
  cli: string;
  worker: string;
  remove: () => Promise<void>;
}> {
  const dir = join(REPO, 'out', `test-serve-${process.pid}-${Date.now()}`);
  const cli = join(dir, 'bracketeer.js');
  const worker = join(dir, 'bracket-worker.js');
  const code = `
    import { build } from 'esbuild';
    import { nodeBundleOptions } from './scripts/esbuild-node.mjs';
    const bundle = (entry, out) => build({ ...nodeBundleOptions(entry, out), sourcemap: false });
    await Promise.all([
      bundle('src/cli/index.ts', ${JSON.stringify(cli)}),
      bundle('src/main/services/jobs/bracket-worker.ts', ${JSON.stringify(worker)}),
    ]);
  `;
  await run(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO });
  return { cli, worker, remove: () => rm(dir, { recursive: true, force: true }) };
}
