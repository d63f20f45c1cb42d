/**
 * Registers tfjs-core's gradient functions (tfjs-core alone registers none; the `@tensorflow/tfjs`
 * union package normally does). Import this module for its side effect before any
 * `tf.grad` / `tf.variableGrads`. The registries are global, so importing it twice is harmless.
 *
 * Note: the imported file is tfjs-core's ESM build with extension-less relative imports: it
 * loads under Vite/Vitest and bundlers, not under plain Node ESM — a Node entry point must
 * bundle it (see the issue-3 report).
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
