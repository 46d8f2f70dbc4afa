// Runs the built `awb` CLI (bin/awb.js → out/main/cli.js) as a child process, the way a user does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const AWB = join(ROOT, 'bin', 'awb.js');

export interface AwbResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function awb(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): AwbResult {
  const r = spawnSync(process.execPath, [AWB, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses the single JSON document a `--json` command prints on stdout. */
export function awbJson<T = unknown>(args: string[], opts?: { env?: NodeJS.ProcessEnv }): T {
  const r = awb([...args, '--json'], opts);
  if (r.status !== 0) throw new Error(`awb ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function spawnAwb(args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [AWB, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function tempHome(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'awb-home-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
