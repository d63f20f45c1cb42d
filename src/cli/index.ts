import { runCli } from './main.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(1);
  interrupted = true;
  controller.abort();
});

runCli(process.argv.slice(2), controller.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bracketeer: error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
