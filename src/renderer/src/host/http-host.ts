// The engine through `awb serve`: calls as `POST /api/<method>` with the session token in a
// header, job events from one shared server-sent-event stream.
import type { ApiMethod, ApiParams, ApiReply, ApiResult, JobEvent } from '@shared/api';
import { HostError } from './host-error';
import type { UiHost } from './ui-host';

export function httpHost(token: string): UiHost {
  const listeners = new Set<(e: JobEvent) => void>();
  let source: EventSource | null = null;

  const openStream = () => {
    // EventSource cannot send headers, so the stream takes the token in its URL; it reconnects
    // by itself when the connection drops.
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (m: MessageEvent<string>) => {
      const event = JSON.parse(m.data) as JobEvent;
      for (const l of listeners) l(event);
    };
  };

  return {
    kind: 'browser',
    async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-awb-token': token },
          body: JSON.stringify(params ?? {}),
          cache: 'no-store',
        });
      } catch (e) {
        throw new HostError(`${method}: cannot reach the workbench server (${(e as Error).message}); is \`awb serve\` still running?`, 'internal');
      }
      if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) {
        const text = (await res.text()).slice(0, 300);
        throw new HostError(`${method}: HTTP ${res.status}: ${text}`, res.status === 404 ? 'not-found' : 'internal');
      }
      const reply = (await res.json()) as ApiReply;
      if (!reply.ok) throw new HostError(reply.error.message, reply.error.code);
      return reply.result as ApiResult<M>;
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!source) openStream();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}
