// One path from a host's incoming call to the reply it sends back, shared by the browser host
// (HTTP) and the Electron shell (IPC): validate at the boundary, call the engine, never throw.
import { ApiError, parseRequest, type ApiErrorCode, type ApiReply, type JobEvent } from '@shared/api';

/** The narrow face of the engine a host needs; the real Engine has this shape. */
export interface HostedEngine {
  call(method: string, params: unknown): Promise<unknown>;
  onEvent(listener: (e: JobEvent) => void): () => void;
}

export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  'bad-request': 400,
  'not-found': 404,
  conflict: 409,
  internal: 500,
};

export function errorReply(e: unknown): ApiReply<never> {
  if (e instanceof ApiError) return { ok: false, error: { message: e.message, code: e.code } };
  const message = e instanceof Error ? e.message : String(e);
  return { ok: false, error: { message: message || 'internal error', code: 'internal' } };
}

export async function replyTo(engine: HostedEngine, method: unknown, params: unknown): Promise<ApiReply> {
  try {
    const request = parseRequest(method, params);
    return { ok: true, result: (await engine.call(request.method, request.params)) ?? null };
  } catch (e) {
    return errorReply(e);
  }
}
