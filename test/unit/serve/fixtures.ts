// Shared by the browser-host tests: a throwaway renderer folder, an engine double that records
// its calls and lets a test emit events, and a raw HTTP client that can set any Host header.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type JobEvent } from '@shared/api';
import type { HostedEngine } from '../../../src/main/serve/api-reply';

export interface RendererFixture {
  /** Holds the renderer folder and, beside it, a file no request may reach. */
  base: string;
  root: string;
  remove(): void;
}

export function makeRendererFixture(): RendererFixture {
  const base = mkdtempSync(join(tmpdir(), 'awb-serve-test-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>awb</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'assets', 'kernel.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(root, '.env'), 'SECRET=1');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  return { base, root, remove: () => rmSync(base, { recursive: true, force: true }) };
}

export interface EngineDouble extends HostedEngine {
  calls: { method: string; params: unknown }[];
  emit(e: JobEvent): void;
  listenerCount(): number;
}

/** Answers a few methods the way the engine's contract says, and fails in each documented way. */
export function engineDouble(): EngineDouble {
  const listeners = new Set<(e: JobEvent) => void>();
  const calls: { method: string; params: unknown }[] = [];
  return {
    calls,
    async call(method, params) {
      calls.push({ method, params });
      const id = (params as { id?: string }).id;
      switch (method) {
        case 'engine.info':
          return { version: '0.1.0', home: '/tmp/home', backend: 'auto', platform: 'linux' };
        case 'runs.get':
          throw new ApiError(`run ${id} not found`, 'not-found');
        case 'runs.tag':
          throw new ApiError(`run ${id} is locked`, 'conflict');
        case 'runs.list':
          throw new Error('disk on fire');
        case 'jobs.selftest':
          return { runId: 'r1' };
        default:
          throw new ApiError(`${method} not in the double`, 'internal');
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (e) => listeners.forEach((l) => l(e)),
    listenerCount: () => listeners.size,
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Defaults to 127.0.0.1. */
  address?: string;
}

/** Sends the path exactly as given (no normalisation of `..`), unlike fetch. */
export function raw(r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: r.address ?? '127.0.0.1',
        port: r.port,
        path: r.path,
        method: r.method ?? 'GET',
        headers: { host: `127.0.0.1:${r.port}`, ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}
