import { describe, expect, it } from 'vitest';
import { ApiError } from '@shared/api';
import { errorReply, HTTP_STATUS, replyTo } from '../../../src/main/serve/api-reply';
import { engineDouble } from './fixtures';

describe('errorReply', () => {
  it('keeps an ApiError code and message', () => {
    expect(errorReply(new ApiError('run x not found', 'not-found'))).toEqual({ ok: false, error: { message: 'run x not found', code: 'not-found' } });
  });

  it('reports any other throw as internal, with a message even when it had none', () => {
    expect(errorReply(new TypeError('x is undefined'))).toEqual({ ok: false, error: { message: 'x is undefined', code: 'internal' } });
    expect(errorReply('plain string')).toEqual({ ok: false, error: { message: 'plain string', code: 'internal' } });
    expect(errorReply(new Error(''))).toEqual({ ok: false, error: { message: 'internal error', code: 'internal' } });
  });

  it('has an HTTP status for every code', () => {
    expect(HTTP_STATUS).toEqual({ 'bad-request': 400, 'not-found': 404, conflict: 409, internal: 500 });
  });
});

describe('replyTo', () => {
  it('validates before calling, and never throws', async () => {
    const engine = engineDouble();
    expect(await replyTo(engine, 'nope', {})).toEqual({ ok: false, error: { message: 'unknown API method "nope"', code: 'bad-request' } });
    expect(await replyTo(engine, 42, {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await replyTo(engine, 'runs.get', {})) as unknown).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(engine.calls).toEqual([]);
    expect(await replyTo(engine, 'runs.list', undefined)).toEqual({ ok: false, error: { message: 'disk on fire', code: 'internal' } });
    expect(engine.calls).toEqual([{ method: 'runs.list', params: {} }]);
  });

  it('turns an undefined result into null, so the reply always has a result', async () => {
    const engine = { ...engineDouble(), call: async () => undefined };
    expect(await replyTo(engine, 'engine.info', {})).toEqual({ ok: true, result: null });
  });
});
