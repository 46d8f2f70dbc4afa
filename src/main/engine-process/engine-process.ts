// Entry of the engine child process (bundled as out/main/engine-process.js). The Electron shell
// runs the engine here, in plain Node, rather than in its own main process: the native modules
// (better-sqlite3) are built for Node, and heavy work stays out of the process that draws the UI.
// Options arrive as arguments: --home DIR, --backend NAME.
import { parseArgs } from 'node:util';
import { BackendChoice } from '@shared/api';
import { Engine } from '../engine/engine';
import { replyTo } from '../serve/api-reply';
import type { FromEngine, ToEngine } from './protocol';

const send = (m: FromEngine) => process.send?.(m);

async function main(): Promise<void> {
  if (!process.send) throw new Error('engine-process must be started with an IPC channel (child_process.fork)');
  const { values } = parseArgs({ options: { home: { type: 'string' }, backend: { type: 'string' } } });
  const engine = await Engine.open({ home: values.home, backend: values.backend === undefined ? undefined : BackendChoice.parse(values.backend) });
  engine.onEvent((event) => send({ type: 'event', event }));
  process.on('message', (m: ToEngine) => {
    if (m.type === 'call') void replyTo(engine, m.method, m.params).then((reply) => send({ type: 'reply', id: m.id, reply }));
    // Running jobs are cancelled and recorded before the process ends.
    else if (m.type === 'close') void engine.close().finally(() => process.disconnect());
  });
  // The host died without saying goodbye: the same orderly shutdown.
  process.on('disconnect', () => void engine.close().finally(() => process.exit(0)));
  send({ type: 'ready', home: engine.home });
}

main().catch((e: unknown) => {
  send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
  process.exitCode = 1;
});
