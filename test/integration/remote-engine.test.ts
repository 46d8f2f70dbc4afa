// The engine child process the Electron shell runs: forked with plain Node, answering the API
// over IPC, streaming job events, and shutting down cleanly (running jobs recorded).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineInfo, JobEvent, RunDetail } from '@shared/api';
import { ApiError } from '@shared/api';
import { RemoteEngine } from '../../src/main/engine-process/remote-engine';
import { ROOT, tempHome } from '../helpers/awb';

const home = tempHome();
afterAll(() => home.cleanup());
const script = join(ROOT, 'out', 'main', 'engine-process.js');

describe('engine child process', () => {
  it('answers the API, streams events, validates requests, and records a cancelled job on close', async () => {
    const engine = await RemoteEngine.start({ node: process.execPath, home: home.dir, script });
    expect(engine.home).toBe(home.dir);
    const info = (await engine.call('engine.info', {})) as EngineInfo;
    expect(info.home).toBe(home.dir);

    const events: JobEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const { runId } = (await engine.call('jobs.selftest', { backend: 'wasm', epochs: 2 })) as { runId: string };
    while (!events.some((e) => e.type === 'status' && e.runId === runId && e.status === 'finished')) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch)).toEqual([1, 2]);
    expect(((await engine.call('runs.get', { id: runId })) as RunDetail).status).toBe('finished');

    await expect(engine.call('runs.get', { id: '' })).rejects.toThrow(ApiError);
    await expect(engine.call('no.such.method', {})).rejects.toThrow(/unknown API method/);

    // A long job still running when the host closes the engine ends as cancelled, not interrupted.
    const long = (await engine.call('jobs.selftest', { backend: 'wasm', epochs: 10_000 })) as { runId: string };
    while (!events.some((e) => e.type === 'epoch' && e.runId === long.runId)) await new Promise((r) => setTimeout(r, 50));
    await engine.close();
    await expect(engine.call('engine.info', {})).rejects.toThrow(/engine process ended/);

    const again = await RemoteEngine.start({ node: process.execPath, home: home.dir, script });
    expect(((await again.call('runs.get', { id: long.runId })) as RunDetail).status).toBe('cancelled');
    await again.close();
  });
});
