// The browser host (`awb serve`): the built renderer and the engine API over HTTP on 127.0.0.1,
// for one user holding this session's token. Thin: every call goes through the same
// validate-and-reply path as Electron's IPC.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { isApiMethod, type ApiReply } from '@shared/api';
import { HTTP_STATUS, replyTo, type HostedEngine } from './api-reply';
import { eventStreams } from './event-stream';
import { SECURITY_HEADERS } from './security-headers';
import {
  cookieValue,
  headerValue,
  isAllowedHost,
  newSessionToken,
  sessionCookie,
  sessionCookieName,
  tokensEqual,
  TOKEN_HEADER,
  TOKEN_QUERY,
} from './session-auth';
import { builtRendererDir, contentType, resolveStaticFile } from './static-files';

export interface ServerOptions {
  engine: HostedEngine;
  /** 0 or left out: any free port. */
  port?: number;
  /** Loopback only; the option exists so a caller states it. */
  host?: '127.0.0.1';
  /** The built renderer (out/renderer); found next to the bundle when left out. */
  rendererDir?: string;
}

export interface RunningServer {
  /** The page to open, token included. */
  url: string;
  token: string;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 1024 * 1024;
const API_PREFIX = '/api/';
const EVENTS_PATH = '/api/events';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`awb serve: host ${JSON.stringify(host)} refused; the browser host binds 127.0.0.1 only`);
  const wanted = opts.port ?? 0;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
    throw new Error(`awb serve: port ${JSON.stringify(opts.port)} is not an integer from 0 to 65535`);
  }
  const rendererDir = opts.rendererDir ?? builtRendererDir();
  if (!rendererDir || !existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`awb serve: the renderer is not built (${rendererDir ?? 'out/renderer'}/index.html is missing); run \`npm run build\``);
  }

  const token = newSessionToken();
  const streams = eventStreams((listener) => opts.engine.onEvent(listener));
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req.headers.host, port)) {
      throw new HttpError(403, `Forbidden: this server answers only to 127.0.0.1:${port} or localhost:${port}`);
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === EVENTS_PATH) {
      requireToken(headerValue(req, TOKEN_HEADER) ?? url.searchParams.get(TOKEN_QUERY), token);
      requireMethod(req, ['GET']);
      streams.open(res);
    } else if (url.pathname.startsWith(API_PREFIX)) {
      requireToken(headerValue(req, TOKEN_HEADER), token);
      requireMethod(req, ['POST']);
      requireSameOrigin(req, port);
      await serveApiCall(opts.engine, url.pathname.slice(API_PREFIX.length), req, res);
    } else {
      const fromQuery = tokensEqual(url.searchParams.get(TOKEN_QUERY), token);
      if (!fromQuery) requireToken(cookieValue(req, sessionCookieName(port)), token);
      requireMethod(req, ['GET', 'HEAD']);
      await serveFile(rendererDir, url.pathname, req, res, fromQuery ? sessionCookie(port, token) : null);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy();
      if (e instanceof HttpError) sendText(res, e.status, e.message, e.headers);
      else sendText(res, 500, e instanceof Error ? e.message : String(e), {});
    });
  });
  port = await listen(server, wanted, host);

  return {
    url: `http://${host}:${port}/?${TOKEN_QUERY}=${token}`,
    token,
    close: () => {
      streams.closeAll();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function requireToken(candidate: string | null, token: string): void {
  if (!tokensEqual(candidate, token)) throw new HttpError(403, 'Forbidden: missing or wrong session token; open the URL that `awb serve` printed');
}

function requireMethod(req: IncomingMessage, allowed: string[]): void {
  if (!allowed.includes(req.method ?? '')) {
    const allow = allowed.join(', ');
    throw new HttpError(405, `Method ${req.method ?? '?'} not allowed here (allowed: ${allow})`, { Allow: allow });
  }
}

/** Browsers name the page that sent a POST; only our own page may call the API. */
function requireSameOrigin(req: IncomingMessage, port: number): void {
  const origin = headerValue(req, 'origin');
  if (origin !== null && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
    throw new HttpError(403, `Forbidden: requests from origin ${origin} are refused`);
  }
}

async function serveApiCall(engine: HostedEngine, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isApiMethod(method)) {
    return sendReply(res, 404, { ok: false, error: { message: `unknown API method ${JSON.stringify(method)}`, code: 'not-found' } });
  }
  const type = (headerValue(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    return sendReply(res, 415, { ok: false, error: { message: `${method}: the request body must be application/json`, code: 'bad-request' } });
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  let params: unknown;
  try {
    params = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (e) {
    return sendReply(res, 400, { ok: false, error: { message: `${method}: the request body is not JSON (${(e as Error).message})`, code: 'bad-request' } });
  }
  const reply = await replyTo(engine, method, params);
  sendReply(res, reply.ok ? 200 : HTTP_STATUS[reply.error.code], reply);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // The connection closes after the answer, so the client stops sending the rest.
  const tooLarge = () => new HttpError(413, `Request body larger than ${limit} bytes`, { Connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function serveFile(root: string, urlPath: string, req: IncomingMessage, res: ServerResponse, setCookie: string | null): Promise<void> {
  const file = await resolveStaticFile(root, urlPath);
  if (!file) throw new HttpError(404, `Not found: ${urlPath}`);
  const data = await readFile(file);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType(file),
    'Content-Length': data.length,
    'Cache-Control': 'no-cache',
    ...(setCookie ? { 'Set-Cookie': setCookie } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : data);
}

function sendReply(res: ServerResponse, status: number, reply: ApiReply): void {
  const body = JSON.stringify(reply);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string>): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE' ? new Error(`awb serve: port ${port} on ${host} is already in use; choose another with --port`) : e);
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
