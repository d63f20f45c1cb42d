import path from 'node:path';
import { createServices } from '../../main/services/index.js';
import { userDataDir } from '../../main/services/user-data-dir.js';
import { isLoopback, startServer, type RunningServer } from '../../server/index.js';
import type { Command } from '../command.js';
import { stringOption } from '../frames.js';
import { UsageError } from '../usage-error.js';

export const serve: Command = {
  name: 'serve',
  summary: 'run the app backend over HTTP + WebSocket on 127.0.0.1 (for a browser)',
  usage: `Usage: bracketeer serve [--port N] [--host 127.0.0.1] [--root DIR …] [--data-dir DIR]

Serves the desktop app's API (POST /api/<method>), its event stream (WebSocket /events) and the
built user interface (out/renderer) on the loopback interface, protected by a random token that
is printed once with the URL to open. Model work runs in a worker thread. Runs until Ctrl-C.

  --port N             TCP port (default 0: any free port)
  --host ADDR          loopback address to listen on: 127.0.0.1 (default), ::1 or localhost
  --root DIR           only allow files under DIR (repeatable; default: anywhere you can)
  --data-dir DIR       user-data folder holding the library (library.sqlite, thumbnails/);
                       default: the platform's user-data folder (Linux: $XDG_DATA_HOME/bracketeer
                       or ~/.local/share/bracketeer; macOS: ~/Library/Application Support/Bracketeer;
                       Windows: %APPDATA%\\Bracketeer)`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    root: { type: 'string', multiple: true },
    'data-dir': { type: 'string' },
  },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new UsageError('takes no positional arguments');
    const rawPort = stringOption(args, 'port') ?? '0';
    const port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65535) {
      throw new UsageError(`--port must be an integer 0…65535, got "${rawPort}"`);
    }
    const host = stringOption(args, 'host') ?? '127.0.0.1';
    if (!isLoopback(host)) {
      throw new UsageError(
        `--host ${host} is not a loopback address (127.0.0.1, ::1, localhost); use an SSH tunnel for remote access`,
      );
    }
    const roots = (args.values.root ?? []) as string[];
    const dataDir = path.resolve(stringOption(args, 'data-dir') ?? userDataDir());
    const services = createServices({ roots, dataDir });
    let server: RunningServer;
    try {
      server = await startServer({ services, port, host });
    } catch (err) {
      await services.close();
      throw err;
    }
    // Warm the model runtime up now, so the first bracket job does not wait for it.
    services.runner.runtime().catch(() => undefined);
    const t0 = Date.now();
    process.stdout.write(
      ctx.json
        ? `${JSON.stringify({ url: server.pageUrl, token: server.token })}\n`
        : `Bracketeer is serving on ${server.url}\nLibrary: ${dataDir}\nOpen ${server.pageUrl}\nPress Ctrl-C to stop.\n`,
    );
    if (!ctx.signal.aborted) {
      await new Promise<void>((resolve) =>
        ctx.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    await server.close();
    await services.close();
    const seconds = Math.round((Date.now() - t0) / 1000);
    return {
      text: `stopped after ${seconds} s`,
      data: { url: server.url, stoppedAfterSeconds: seconds },
    };
  },
};
