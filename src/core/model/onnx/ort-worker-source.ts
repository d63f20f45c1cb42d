/**
 * Source of the worker thread that runs ONNX Runtime graphs for {@link OrtWorkerPool}, as a
 * CommonJS script for `new Worker(source, { eval: true })`: kept as text so that every bundle
 * (CLI, app, server) and the test runner can start it without a separate worker file.
 *
 * workerData: { ortPath, graphs: { key: ModelProto bytes }, options: session options }.
 * It creates each session once to validate the graphs, then posts { ready: true } (or
 * { ready: false, error }). Each message { key, feeds: { name: { data, dims } }, output } runs
 * graph `key` (releasing the other graphs' sessions first: one resident at a time) and is
 * answered { data, inputs } with the output's buffer and the feeds' buffers (those of 64 KiB
 * and more, for reuse) transferred, or { error }; runs wait for the validation.
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
async function run(m) {
  try {
    await validated.catch(() => undefined);
    const s = await session(m.key);
    const feeds = {};
    for (const name of Object.keys(m.feeds)) {
      const f = m.feeds[name];
      feeds[name] = new ort.Tensor('float32', f.data, f.dims);
    }
    const out = (await s.run(feeds))[m.output];
    if (!out || !(out.data instanceof Float32Array)) {
      throw new Error('ONNX graph ' + m.key + ': no float32 output ' + m.output);
    }
    const data = out.data;
    // the feeds' buffers go back too, for the pool to reuse (small ones are not worth it)
    const inputs = [];
    for (const name of Object.keys(m.feeds)) {
      const b = m.feeds[name].data.buffer;
      if (b.byteLength >= 65536 && !inputs.includes(b)) inputs.push(b);
    }
    try {
      parentPort.postMessage({ data, inputs }, [data.buffer, ...inputs]);
    } catch {
      parentPort.postMessage({ data });
    }
  } catch (e) {
    parentPort.postMessage({ error: e && e.message ? e.message : String(e) });
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
