// The host side of the engine child process: the same narrow face as the in-process Engine
// (`call`, `onEvent`), so the Electron IPC wiring does not care where the engine runs.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, type ApiReply, type JobEvent } from '@shared/api';
import type { HostedEngine } from '../serve/api-reply';
import type { FromEngine, ToEngine } from './protocol';

export interface RemoteEngineOptions {
  /** The Node.js executable to run the engine with. */
  node: string;
  home?: string;
  backend?: string;
  /** The bundled entry; found next to this module (out/main) when left out. */
  script?: string;
}

export class RemoteEngine implements HostedEngine {
  private readonly listeners = new Set<(e: JobEvent) => void>();
  private readonly pending = new Map<number, (r: ApiReply) => void>();
  private nextId = 1;
  private exited: string | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly home: string,
  ) {
    child.on('message', (m: FromEngine) => {
      if (m.type === 'reply') {
        this.pending.get(m.id)?.(m.reply);
        this.pending.delete(m.id);
      } else if (m.type === 'event') for (const l of this.listeners) l(m.event);
    });
    child.on('exit', (code, signal) => {
      this.exited = `the engine process ended (${signal ?? `exit code ${code}`})`;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: { message: this.exited, code: 'internal' } });
      this.pending.clear();
    });
  }

  static async start(opts: RemoteEngineOptions): Promise<RemoteEngine> {
    const script = opts.script ?? join(dirname(fileURLToPath(import.meta.url)), 'engine-process.js');
    if (!existsSync(script)) throw new Error(`${script} is missing: build the project first (npm run build)`);
    const args = [...(opts.home ? ['--home', opts.home] : []), ...(opts.backend ? ['--backend', opts.backend] : [])];
    const child = fork(script, args, { execPath: opts.node, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const home = await new Promise<string>((resolve, reject) => {
      child.once('error', (e) => reject(new Error(`cannot start the engine with ${opts.node}: ${e.message}`)));
      child.once('exit', (code) => reject(new Error(`the engine process exited (code ${code}) while starting`)));
      child.on('message', (m: FromEngine) => {
        if (m.type === 'ready') resolve(m.home);
        if (m.type === 'fatal') reject(new Error(m.message));
      });
    });
    return new RemoteEngine(child, home);
  }

  async call(method: string, params: unknown): Promise<unknown> {
    if (this.exited) throw new ApiError(this.exited, 'internal');
    const id = this.nextId++;
    const reply = await new Promise<ApiReply>((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ type: 'call', id, method, params } satisfies ToEngine);
    });
    if (!reply.ok) throw new ApiError(reply.error.message, reply.error.code);
    return reply.result;
  }

  onEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the engine to cancel and record running jobs, then waits for the process to end. */
  async close(): Promise<void> {
    if (this.exited) return;
    const ended = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies ToEngine);
    await ended;
  }
}
