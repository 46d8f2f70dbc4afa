import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startServer, type RunningServer } from '../../../src/main/serve/server';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/serve/security-headers';
import { engineDouble, makeRendererFixture, raw, type EngineDouble, type RendererFixture } from './fixtures';

let fixture: RendererFixture;
let engine: EngineDouble;
let server: RunningServer;
let port: number;
let token: string;

beforeAll(async () => {
  fixture = makeRendererFixture();
  engine = engineDouble();
  server = await startServer({ engine, port: 0, host: '127.0.0.1', rendererDir: fixture.root });
  const url = new URL(server.url);
  port = Number(url.port);
  token = server.token;
});

afterAll(async () => {
  await server.close();
  fixture.remove();
});

const post = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  raw({
    port,
    path: `/api/${method}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-awb-token': token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('awb serve: address and URL', () => {
  it('prints a 127.0.0.1 URL carrying a 24-byte base64url token', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toBe('/');
    expect(url.searchParams.get('token')).toBe(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('gives each server its own token', async () => {
    const other = await startServer({ engine: engineDouble(), rendererDir: fixture.root });
    try {
      expect(other.token).not.toBe(token);
    } finally {
      await other.close();
    }
  });

  it('is reachable on 127.0.0.1 and on no other local address', async () => {
    const others = ['127.0.0.2', ...Object.values(networkInterfaces()).flat().map((i) => i!.address)].filter((a) => a !== '127.0.0.1');
    expect((await raw({ port, path: `/?token=${token}` })).status).toBe(200);
    for (const address of others) {
      await expect(raw({ port, path: `/?token=${token}`, address: address.includes(':') ? address.split('%')[0] : address })).rejects.toThrow();
    }
  });

  it('refuses a port that is taken, naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      await expect(startServer({ engine, port: taken, rendererDir: fixture.root })).rejects.toThrow(`port ${taken} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad port and a missing renderer with a clear message', async () => {
    await expect(startServer({ engine, port: 70000, rendererDir: fixture.root })).rejects.toThrow('port 70000 is not an integer from 0 to 65535');
    await expect(startServer({ engine, rendererDir: join(fixture.base, 'nowhere') })).rejects.toThrow('the renderer is not built');
  });
});

describe('awb serve: session token on every route', () => {
  it('refuses the page, assets, API and events without the token', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/nonexistent', '/api/events']) {
      expect((await raw({ port, path })).status, path).toBe(403);
    }
    expect((await post('engine.info', {}, { 'x-awb-token': '' })).status).toBe(403);
    // The token is checked before anything else, so even a wrong method learns nothing.
    expect((await raw({ port, path: '/', method: 'DELETE' })).status).toBe(403);
    expect((await raw({ port, path: '/api/engine.info' })).status).toBe(403);
    expect((await raw({ port, path: '/api/events', method: 'POST' })).status).toBe(403);
    expect(engine.calls.filter((c) => c.method === 'engine.info')).toHaveLength(0);
  });

  it('refuses a wrong token, including one of the right length', async () => {
    const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const t of ['nope', wrong]) {
      expect((await raw({ port, path: `/?token=${t}` })).status).toBe(403);
      expect((await raw({ port, path: `/api/events?token=${t}` })).status).toBe(403);
      expect((await post('engine.info', {}, { 'x-awb-token': t })).status).toBe(403);
    }
  });

  it('serves the page with the token in the query and leaves it in a port-scoped HttpOnly cookie', async () => {
    const r = await raw({ port, path: `/?token=${token}` });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>awb</title>');
    expect(r.headers['set-cookie']).toEqual([`awb-session-${port}=${token}; Path=/; HttpOnly; SameSite=Strict`]);
  });

  it('serves assets and reloads with the cookie, but never the API', async () => {
    const cookie = `awb-session-${port}=${token}`;
    expect((await raw({ port, path: '/assets/app.js', headers: { cookie } })).status).toBe(200);
    expect((await raw({ port, path: '/', headers: { cookie: `theme=dark; ${cookie}` } })).status).toBe(200);
    expect((await raw({ port, path: '/assets/app.js', headers: { cookie: `awb-session-${port + 1}=${token}` } })).status).toBe(403);
    expect((await post('engine.info', {}, { 'x-awb-token': '', cookie })).status).toBe(403);
  });

  it('accepts the API token only as the x-awb-token header', async () => {
    const r = await raw({
      port,
      path: `/api/engine.info?token=${token}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(403);
  });
});

describe('awb serve: Host header (DNS-rebinding guard)', () => {
  it('answers to 127.0.0.1:PORT and localhost:PORT only', async () => {
    const path = `/?token=${token}`;
    expect((await raw({ port, path, headers: { host: `localhost:${port}` } })).status).toBe(200);
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.evil.example:${port}`]) {
      const r = await raw({ port, path, headers: { host } });
      expect(r.status, host).toBe(403);
      expect(r.body).toContain('answers only to');
    }
    expect((await post('engine.info', {}, { host: `attacker.example:${port}` })).status).toBe(403);
  });

  it('refuses an API call from another origin', async () => {
    expect((await post('engine.info', {}, { origin: 'http://attacker.example' })).status).toBe(403);
    expect((await post('engine.info', {}, { origin: `http://localhost:${port}` })).status).toBe(200);
  });
});

describe('awb serve: API', () => {
  it('returns the result as {ok: true, result}', async () => {
    const r = await post('engine.info', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body)).toEqual({ ok: true, result: { version: '0.1.0', home: '/tmp/home', backend: 'auto', platform: 'linux' } });
  });

  it('passes the validated params, defaults filled in, to the engine', async () => {
    const r = await post('jobs.selftest', { backend: 'wasm', epochs: 2 });
    expect(JSON.parse(r.body)).toEqual({ ok: true, result: { runId: 'r1' } });
    expect(engine.calls.at(-1)).toEqual({
      method: 'jobs.selftest',
      params: { backend: 'wasm', epochs: 2, seed: 1, samples: 4096, features: 16, latent: 4, batchSize: 256, learningRate: 1e-3 },
    });
  });

  it('maps each ApiError code to its HTTP status', async () => {
    const cases: [string, unknown, number, string, string][] = [
      ['runs.get', { id: 'x' }, 404, 'not-found', 'run x not found'],
      ['runs.tag', { id: 'x', tag: 't' }, 409, 'conflict', 'run x is locked'],
      ['runs.list', {}, 500, 'internal', 'disk on fire'],
    ];
    for (const [method, params, status, code, message] of cases) {
      const r = await post(method, params);
      expect(r.status, method).toBe(status);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { message, code } });
    }
  });

  it('refuses invalid params with 400 naming the field, without calling the engine', async () => {
    const before = engine.calls.length;
    const r = await post('jobs.selftest', { epochs: -3 });
    expect(r.status).toBe(400);
    const reply = JSON.parse(r.body);
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('bad-request');
    expect(reply.error.message).toContain('jobs.selftest: epochs:');
    expect(engine.calls.length).toBe(before);
  });

  it('answers an unknown method with 404', async () => {
    const r = await post('runs.destroyEverything', {});
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).error).toEqual({ message: 'unknown API method "runs.destroyEverything"', code: 'not-found' });
  });

  it('refuses a body that is not JSON, not declared JSON, or too large', async () => {
    const bad = await post('engine.info', '{nope');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toContain('engine.info: the request body is not JSON');
    expect((await post('engine.info', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    const big = await post('runs.note', { id: 'x', text: 'a'.repeat(MAX_BODY_BYTES) });
    expect(big.status).toBe(413);
  });

  it('treats an empty body as no params', async () => {
    const r = await post('engine.info', '');
    expect(r.status).toBe(200);
  });

  it('allows only POST on API methods and only GET on events', async () => {
    const get = await raw({ port, path: '/api/engine.info', headers: { 'x-awb-token': token } });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await raw({ port, path: `/api/events?token=${token}`, method: 'POST' })).status).toBe(405);
    expect((await raw({ port, path: `/?token=${token}`, method: 'DELETE' })).status).toBe(405);
  });
});

describe('awb serve: static files', () => {
  const cookie = () => ({ cookie: `awb-session-${port}=${token}` });

  it('serves each kind of file with its MIME type and the security headers', async () => {
    const types: [string, string][] = [
      ['/', 'text/html; charset=utf-8'],
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/assets/icon.svg', 'image/svg+xml'],
      ['/assets/kernel.wasm', 'application/wasm'],
    ];
    for (const [path, type] of types) {
      const r = await raw({ port, path, headers: cookie() });
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
      expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('has a CSP that forbids inline and foreign scripts and framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|https?:|\*/);
  });

  it('answers HEAD without a body', async () => {
    const r = await raw({ port, path: '/assets/app.js', method: 'HEAD', headers: cookie() });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('14');
    expect(r.body).toBe('');
  });

  it('refuses every way out of the renderer folder', async () => {
    const paths = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/link.txt',
      '/.env',
      '/assets',
      '/assets/',
      '/index.html%00.js',
      '/%E0%A4%A',
    ];
    for (const path of paths) {
      const r = await raw({ port, path, headers: cookie() });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside the renderer');
    }
  });
});

describe('awb serve: job events (SSE)', () => {
  it('streams engine events to a subscriber and unsubscribes when it leaves', async () => {
    const event = { type: 'status', runId: 'r1', status: 'finished', error: null } as const;
    const received = await new Promise<{ type: string | undefined; data: unknown }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/api/events?token=${token}`, headers: { host: `127.0.0.1:${port}` } }, (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (buffer.includes(': connected')) {
            if (engine.listenerCount() === 1 && !buffer.includes('data:')) engine.emit(event);
          }
          const m = /^data: (.*)$/m.exec(buffer);
          if (m) {
            resolve({ type: res.headers['content-type'], data: JSON.parse(m[1]) });
            req.destroy();
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(received).toEqual({ type: 'text/event-stream; charset=utf-8', data: event });
    await expect.poll(() => engine.listenerCount()).toBe(0);
  });

  it('ends open streams when the server closes', async () => {
    const own = engineDouble();
    const s = await startServer({ engine: own, rendererDir: fixture.root });
    const p = Number(new URL(s.url).port);
    const ended = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: p, path: `/api/events?token=${s.token}`, headers: { host: `127.0.0.1:${p}` } }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('close', resolve);
        void s.close();
      });
      req.on('error', reject);
      req.end();
    });
    await ended;
    expect(own.listenerCount()).toBe(0);
  });
});
