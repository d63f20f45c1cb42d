/**
 * Multi-threaded tfjs-wasm in Node.
 *
 * tfjs-backend-wasm 4.22 never uses threads in Node, for three reasons this module works around:
 * 1. its `WASM_HAS_MULTITHREAD_SUPPORT` flag returns false whenever it detects Node;
 * 2. its loader hands Emscripten the pthread worker script and the main script as `Blob` URLs,
 *    which Node's `worker_threads` cannot load (workers need real files);
 * 3. its C++ side caps the pool at `emscripten_num_logical_cores() / 2` (read once, when the
 *    module's static constructors run), i.e. 1 thread on a 2-core machine, whatever
 *    `setThreadsCount` asks for.
 *
 * So we build the backend ourselves: the threaded-SIMD Emscripten factory shipped in the package
 * (`wasm-out/tfjs-backend-wasm-threaded-simd.js`), the worker script written once to a real file in
 * the OS temp folder, the main script passed by path, and `os.cpus()` reported as 2×threads only
 * while the module initialises (so the C++ cap equals the requested count). The resulting module
 * is wrapped in the package's own `BackendWasm`, so every registered wasm kernel works unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The most threads XNNPACK's pool can use in this build (8 pre-spawned Emscripten workers). */
export const MAX_WASM_THREADS = 8;

/** What `createThreadedWasmModule` resolves to: the Emscripten module with tfjs's C bridge. */
export interface WasmModuleWithBridge {
  tfjs: Record<string, (...args: number[]) => unknown>;
  cwrap(name: string, ret: string | null, args: string[]): (...args: number[]) => unknown;
  [key: string]: unknown;
}

type EmscriptenFactory = (config: Record<string, unknown>) => Promise<WasmModuleWithBridge>;

/** Directory of the installed @tensorflow/tfjs-backend-wasm package. */
export function wasmPackageDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** True when running under Node.js (not a browser or a renderer without Node integration). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * Writes the Emscripten pthread worker script to a real file (once per content hash) and
 * returns its path. The package ships it as a JS string; like tfjs's own loader we escape its
 * newlines, which the string holds literally inside a string literal of the worker code.
 */
function workerScriptFile(pkgDir: string): string {
  const mod = require(join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const source = mod.wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'bracketeer-tfjs-wasm');
  const file = join(dir, `pthread-worker-${hash}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, source);
    renameSync(tmp, file); // atomic: concurrent processes never see a half-written worker
  }
  return file;
}

/**
 * Instantiates the threaded-SIMD tfjs wasm module with real files for its workers, and adds the
 * `tfjs` C bridge that `BackendWasm` expects. Node only.
 * @param threads - requested XNNPACK pool size, 1…8 (the caller passes it to `setThreadsCount`)
 */
export async function createThreadedWasmModule(threads: number): Promise<WasmModuleWithBridge> {
  if (!isNode()) throw new Error('threaded wasm loader is for Node.js only');
  const pkgDir = wasmPackageDir();
  const mainScript = join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const wasmFile = join(pkgDir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm');
  if (!existsSync(wasmFile)) throw new Error(`missing ${wasmFile}`);
  const workerFile = workerScriptFile(pkgDir);
  const factory = require(mainScript) as EmscriptenFactory;

  // The C++ global `num_cores = emscripten_num_logical_cores() / 2` is computed by the module's
  // static constructors, which in Node read require('os').cpus().length. Report 2×threads
  // while the module initialises; restore immediately after.
  const os = require('node:os') as { cpus: () => unknown[] };
  const realCpus = os.cpus;
  const fakeCount = Math.max(2, 2 * threads);
  os.cpus = () => {
    const list = realCpus.call(os);
    return Array.from({ length: fakeCount }, (_, i) => list[i % Math.max(1, list.length)]);
  };
  let mod: WasmModuleWithBridge;
  try {
    mod = await factory({
      locateFile: (path: string) =>
        path.endsWith('.worker.js') ? workerFile : join(pkgDir, 'dist', path),
      mainScriptUrlOrBlob: mainScript,
      print: () => undefined,
    });
  } finally {
    os.cpus = realCpus;
  }
  mod.tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  return mod;
}
