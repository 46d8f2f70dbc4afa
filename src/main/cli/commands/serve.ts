import { startServer } from '../../serve/server';
import { UsageError, type Command } from '../command';

export const serve: Command = {
  name: 'serve',
  args: '',
  summary: 'serve the UI on 127.0.0.1 for a browser, with a per-session token in the URL',
  help: [
    '--port P   the port (default: any free one)',
    'Only this machine can connect, and only with the printed URL: every request needs its token.',
    'With --json, prints {"url": …} on one line once listening. Ctrl-C stops it.',
  ],
  options: { port: { type: 'string' } },
  minPositionals: 0,
  maxPositionals: 0,
  async run({ engine, values, global, out }) {
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port: a port number 0–65535, got ${String(values.port)}`);
    const e = await engine();
    const server = await startServer({ engine: e, port, host: '127.0.0.1' });
    if (global.json) out.result({ url: server.url }, (r) => r.url);
    else process.stdout.write(`Anomaly Workbench is serving ${e.home}\nOpen ${server.url}\n(Ctrl-C stops it)\n`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    await server.close();
    return 0;
  },
};
