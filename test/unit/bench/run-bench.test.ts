// The benchmark's report, not its speed: shape, ratios, the PyTorch reference and what happens
// without it. Runs the quick plan (one warm-up and one timed batch per measurement).
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runBench, type BenchReport } from '../../../src/main/engine/bench/run-bench';
import { useBackend } from '../../../src/main/engine/compute/backends';

const NAMES = ['conv-ae train', 'conv-ae inference', 'dense-ae train', 'dense-ae inference'];

function expectMachine(report: BenchReport): void {
  const m = report.machine;
  expect(m.cores).toBeGreaterThan(0);
  expect(m.memoryGiB).toBeGreaterThan(0);
  expect(m.node).toBe(process.version);
  expect(m.tfjs).toBe(tf.version_core);
  expect(m.threads).toBe(1);
  expect(m.cpu.length).toBeGreaterThan(0);
}

describe('runBench', () => {
  beforeAll(async () => {
    await useBackend('wasm', { threads: 1 });
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('measures every model on wasm beside PyTorch and reports value / reference as the ratio', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const log: string[] = [];
    const report = await runBench({ quick: true, backends: ['wasm'], threads: 1, onLog: (s) => log.push(s) });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expectMachine(report);
    expect(report.machine.torch, log.join('\n')).toMatch(/^\d+\.\d+/);
    expect(report.machine.blas).toBeTruthy();

    const engines = [...new Set(report.results.map((r) => r.engine))].sort();
    expect(engines).toEqual(['pytorch-cpu', 'tfjs-wasm']);
    for (const name of NAMES) {
      const tfjs = report.results.filter((r) => r.name === name && r.engine === 'tfjs-wasm');
      const torch = report.results.filter((r) => r.name === name && r.engine === 'pytorch-cpu');
      expect(tfjs).toHaveLength(1);
      expect(torch).toHaveLength(1);
      const [t, p] = [tfjs[0], torch[0]];
      for (const r of [t, p]) {
        expect(r.unit).toBe('samples/s');
        expect(Number.isFinite(r.value) && r.value > 0).toBe(true);
      }
      expect(t.reference).toBe(p.value);
      expect(t.ratio).toBe(t.value / p.value);
      expect(p.reference).toBeNull();
      expect(p.ratio).toBeNull();
    }
    // The report is plain data: it survives JSON as `awb bench --json` prints it.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('without PyTorch reports no references, and skips conv training on the pure-JS cpu backend', async () => {
    vi.stubEnv('AWB_PYTHON', '/nonexistent/python3');
    const tensorsBefore = tf.memory().numTensors;
    const log: string[] = [];
    const report = await runBench({ quick: true, onLog: (s) => log.push(s) });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expectMachine(report);
    expect(report.machine.torch).toBeUndefined();
    expect(report.machine.blas).toBeUndefined();
    expect(log.join('\n')).toMatch(/pytorch-cpu: skipped, \/nonexistent\/python3 not found/);
    expect(report.results.length).toBeGreaterThan(0);
    for (const r of report.results) {
      expect(r.engine).toMatch(/^tfjs-/);
      expect(r.reference).toBeNull();
      expect(r.ratio).toBeNull();
    }
    const rows = (engine: string) => report.results.filter((r) => r.engine === engine).map((r) => r.name);
    expect(rows('tfjs-wasm')).toEqual(NAMES);
    expect(rows('tfjs-cpu')).toEqual(['conv-ae inference', 'dense-ae train', 'dense-ae inference']);
    expect(log.some((s) => /^tfjs-cpu conv-ae train: skipped/.test(s))).toBe(true);
  });

  it('names an unknown backend and a bad thread count', async () => {
    await expect(runBench({ quick: true, backends: ['tpu'] })).rejects.toThrow(/unknown backend 'tpu'/);
    await expect(runBench({ quick: true, threads: 0 })).rejects.toThrow(/threads must be a positive integer/);
  });
});
