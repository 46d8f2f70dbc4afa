// Job events to the browser as server-sent events: one `data:` line of JSON per event, and a
// comment line now and then so idle proxies and the browser keep the stream open.
import type { ServerResponse } from 'node:http';
import type { JobEvent } from '@shared/api';
import { SECURITY_HEADERS } from './security-headers';

const HEARTBEAT_MS = 15_000;
/** The browser reconnects after this long when the stream drops. */
const RETRY_MS = 2_000;

export interface EventStreams {
  open(res: ServerResponse): void;
  /** Ends every open stream (the server is closing). */
  closeAll(): void;
}

export function eventStreams(subscribe: (listener: (e: JobEvent) => void) => () => void): EventStreams {
  const open = new Set<ServerResponse>();
  return {
    open(res) {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      const unsubscribe = subscribe((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      open.add(res);
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      });
    },
    closeAll() {
      for (const res of open) res.end();
    },
  };
}
