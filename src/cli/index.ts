import { runCli } from './main.js';

const controller = new AbortController();
let interrupted = false;
/** First Ctrl-C (or SIGTERM) cancels the job cleanly; a second one exits at once. */
function interrupt(): void {
  if (interrupted) process.exit(1);
  interrupted = true;
  controller.abort();
}
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

/**
 * Exits once stdout and stderr have drained. An explicit exit is needed because the wasm
 * backend's pthread workers keep the event loop alive after the command has finished.
 */
function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

runCli(process.argv.slice(2), controller.signal).then(exitWhenFlushed, (err: unknown) => {
  process.stderr.write(`bracketeer: error: ${String(err)}\n`);
  exitWhenFlushed(1);
});
