/** A {@link ModelRunner} on the caller's thread. */
import { ModelExecutor } from './model-executor.js';
import type { ModelRunner } from './model-runner.js';

/**
 * Runs the model on this thread. For tests and tools only: inference blocks the event loop
 * for the length of each tile batch, so servers use the worker runner (worker-runner.ts).
 */
export function inProcessRunner(): ModelRunner {
  const executor = new ModelExecutor();
  return {
    runtime: () => executor.runtime(),
    bracket: (spec, options) => executor.bracket(spec, options),
    close: async () => executor.dispose(),
  };
}
