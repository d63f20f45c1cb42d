import { codesToPlanes, depthToSpaceNhwc } from './frame-layout.js';

/**
 * Source of the worker thread that runs ONNX Runtime graphs for {@link OrtWorkerPool}, as a
 * CommonJS script for `new Worker(source, { eval: true })`: kept as text so that every bundle
 * (CLI, app, server) and the test runner can start it without a separate worker file.
 *
 * workerData: { ortPath, graphs: { key: ModelProto bytes }, options: session options }.
 * It creates each session once to validate the graphs, then posts { ready: true } (or
 * { ready: false, error }). Each message { key, feeds: { name: { data, dims } }, output, into? }
 * runs graph `key` (releasing the other graphs' sessions first: one resident at a time); with
 * `define` (ModelProto bytes) the message brings graph `key` (one specialised to fixed shapes)
 * and with `forget` names one the worker may drop.
 * `into` is an OutputTarget (graph-runner.ts); its depth-to-space is frame-layout.ts's function,
 * whose source is part of this one (it reads nothing outside its arguments).
 *
 * Feeds in SharedArrayBuffers are copied into the worker's own buffers (ONNX Runtime's binding
 * takes no shared memory), one per shared feed by position, kept from run to run; other feeds
 * arrive transferred and are used in place. A feed whose memory holds codes (graph-runner.ts,
 * FeedTensor.codes: a render's photo tile) is turned into its planes in such a buffer
 * (frame-layout.ts, codesToPlanes, whose source is part of this one too). With `into`
 * (shared), the output is computed into the worker's own output buffer and copied (or turned
 * into NHWC frames) into `into`, and the answer is { into: true, inputs }; without, it is
 * { data, inputs } with the output's buffer transferred. `inputs` are the transferred feeds'
 * buffers of 64 KiB and more, moved back for reuse. Errors are answered { error }, naming the
 * graph; runs wait for the validation.
 *
 * Shared buffers keep tiles from crossing threads as new memory: moved ArrayBuffers count as
 * fresh external memory in the isolate that receives them, and at 36 MB per 1024² render that
 * set off a full garbage collection every tile or two. Measured per 1024² render with two
 * workers: 19–25 ms of main-thread CPU and 10 ms on V8's helper threads with moved tiles,
 * against 8–12 ms and none with shared ones, and 50–55 ms per tile instead of 58–63. The
 * worker's own copies cost memory (ort-runner.ts, ORT_SHARED_TILE_BYTES_PER_PIXEL), so the
 * tiled bracket moves tiles where memory is tight (tile-plan.ts, budgetTiles).
 * { close: true } releases the sessions and ends the thread (terminating it while ONNX
 * Runtime's native code runs would abort the process). The pool sends a worker one run at a
 * time.
 */
export const ORT_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const { graphs, options } = workerData;
const sessions = new Map();
let current = null;
const depthToSpaceNhwc = (${depthToSpaceNhwc.toString()});
const codesToPlanes = (${codesToPlanes.toString()});
async function session(key) {
  if (current !== key) {
    for (const [k, s] of [...sessions]) {
      if (k === key) continue;
      sessions.delete(k);
      await s.then((x) => x.release()).catch(() => undefined);
    }
    current = key;
  }
  if (!sessions.has(key)) {
    if (!graphs[key]) throw new Error('no ONNX graph named ' + key);
    sessions.set(key, ort.InferenceSession.create(graphs[key], options));
  }
  return sessions.get(key);
}
async function validate() {
  for (const key of Object.keys(graphs)) {
    try {
      await session(key);
    } catch (e) {
      throw new Error('ONNX graph ' + key + ': ' + (e && e.message ? e.message : String(e)));
    }
  }
}
const own = new Map();
function ownBuffer(name, length) {
  let b = own.get(name);
  if (!b || b.length !== length) {
    own.delete(name);
    b = new Float32Array(length);
    own.set(name, b);
  }
  return b;
}
function isShared(a) {
  return typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;
}
async function run(m) {
  try {
    await validated.catch(() => undefined);
    // a graph with fixed shapes, sent with its first run here (fixed-shapes.ts)
    if (m.forget !== undefined) delete graphs[m.forget];
    if (m.define !== undefined) graphs[m.key] = m.define;
    const s = await session(m.key);
    const feeds = {};
    let copied = 0;
    for (const name of Object.keys(m.feeds)) {
      const f = m.feeds[name];
      let data = f.data;
      if (f.codes) {
        // a photo tile as codes: its prior's planes, one lookup per sample
        data = ownBuffer('in' + copied++, f.data.length);
        const Codes = f.codes.bitDepth === 16 ? Uint16Array : Uint8Array;
        const codes = new Codes(f.data.buffer, f.data.byteOffset, f.data.length);
        codesToPlanes(codes, f.codes.table, data, f.dims[0], 2 * f.dims[2], 2 * f.dims[3]);
      } else if (isShared(data)) {
        data = ownBuffer('in' + copied++, data.length);
        data.set(f.data);
      }
      feeds[name] = new ort.Tensor('float32', data, f.dims);
    }
    let fetches = null;
    if (m.into) {
      fetches = {};
      const target = ownBuffer('out', m.into.data.length);
      fetches[m.output] = new ort.Tensor('float32', target, m.into.dims);
    }
    const out = (await (fetches ? s.run(feeds, fetches) : s.run(feeds)))[m.output];
    if (!out || !(out.data instanceof Float32Array)) {
      throw new Error('ONNX graph ' + m.key + ': no float32 output ' + m.output);
    }
    // the transferred feeds' buffers go back too, for the pool to reuse (not the small ones)
    const inputs = [];
    for (const name of Object.keys(m.feeds)) {
      const d = m.feeds[name].data;
      if (!isShared(d) && d.buffer.byteLength >= 65536 && !inputs.includes(d.buffer)) {
        inputs.push(d.buffer);
      }
    }
    if (m.into) {
      if (m.into.depthToSpace) {
        const d = m.into.dims;
        depthToSpaceNhwc(out.data, m.into.data, d[0], 2 * d[2], 2 * d[3]);
      } else {
        m.into.data.set(out.data);
      }
      parentPort.postMessage({ into: true, inputs }, inputs);
      return;
    }
    const data = out.data;
    try {
      parentPort.postMessage({ data, inputs }, [data.buffer, ...inputs]);
    } catch {
      parentPort.postMessage({ data });
    }
  } catch (e) {
    const message = e && e.message ? e.message : String(e);
    const named = message.startsWith('ONNX graph ');
    parentPort.postMessage({ error: named ? message : 'ONNX graph ' + m.key + ': ' + message });
  }
}
async function close() {
  await validated.catch(() => undefined);
  for (const s of sessions.values()) await s.then((x) => x.release()).catch(() => undefined);
  process.exit(0);
}
const validated = validate();
validated.then(
  () => parentPort.postMessage({ ready: true }),
  (e) => parentPort.postMessage({ ready: false, error: e.message }),
);
// one message at a time, in order (native runs are never interrupted)
let chain = Promise.resolve();
parentPort.on('message', (m) => {
  chain = chain.then(() => (m.close ? close() : run(m)));
});
`;
