import * as path from 'node:path';
import { isLoopbackHost } from '../context/httpClient';
import { startReferenceServer } from '../context/referenceServer';
import { InputError, UsageError, parseCommandArgs, tokenOption, type CliCommand } from './cliSupport';

const usage = `Usage: customer-lens serve --data FILE [--port 7410] [--host 127.0.0.1] [--token T]

Serves customer context protocol v1 from a context file (JSON or YAML, the shape of a /v1/context answer):
  GET /v1/context?features=a,b   context for up to 50 feature ids (ETag, 304 on If-None-Match)
  GET /v1/features               the features the file knows

Options:
  --data FILE     the context file to serve; reloaded when it changes
  --port N        port to listen on (default 7410; 0 picks a free port and prints it)
  --host H        address to listen on (default 127.0.0.1)
  --token T       require "Authorization: Bearer T" on every request (401 otherwise);
                  CUSTOMER_LENS_TOKEN in the environment does the same without showing the token in ps

Set customerLens.endpoint to the printed URL. Stop with Ctrl+C.`;

function parsePort(value: string | undefined): number {
  if (value === undefined) return 7410;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${value}"`);
  return port;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve customer context protocol v1 from a context file (reference server)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.data === undefined) throw new UsageError('--data FILE is required');
    if (values.token !== undefined && values.token.trim() === '') throw new UsageError('--token must not be empty');
    const token = tokenOption(values.token);
    const host = values.host ?? '127.0.0.1';
    const port = parsePort(values.port);

    let server;
    try {
      server = await startReferenceServer({
        dataFile: path.resolve(io.cwd, values.data),
        port,
        host,
        token,
        log: (line) => io.out(line),
      });
    } catch (error) {
      throw new InputError(error instanceof Error ? error.message : String(error));
    }
    if (!isLoopbackHost(host)) {
      io.err(
        token !== undefined
          ? `warning: listening on ${host} over plain http: the token travels in clear text; put the server behind https`
          : `warning: listening on ${host} without --token: anyone who can reach it can read the customer context`,
      );
    }
    const dataPath = path.resolve(io.cwd, values.data);
    const relative = path.relative(io.cwd, dataPath);
    const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? dataPath : relative;
    const count = server.featureCount();
    io.out(`Serving customer context protocol v1 from ${shown} (${count} ${count === 1 ? 'feature' : 'features'}) at ${server.url}`);
    io.out(`Set "customerLens.endpoint": "${server.url}"${token !== undefined ? ' and store the token with Customer Lens: Set Token' : ''}. Stop with Ctrl+C.`);

    const running = server;
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        io.out(`Stopping (${signal})`);
        void running.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
