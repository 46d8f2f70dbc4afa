// Import throughput and peak memory: a Top Tagging store (pandas fixed format, 806 columns) of a given
// size is written to a temporary folder and imported through the engine exactly as `awb import` does
// (hash, worker, staging, commit). Peak memory is the process's resident set sampled during the import:
// the engine and its worker threads share the process, so it covers the whole import.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '@shared/random';
import { TOPTAG_CONSTITUENTS } from '../data/readers/toptag';
import { writeTopTaggingHdf5 } from '../data/writers/pandas-fixed';
import { Engine } from '../engine';

export interface ImportBenchResult {
  rows: number;
  fileBytes: number;
  seconds: number;
  rowsPerSec: number;
  bytesPerSec: number;
  /** Largest resident set seen while the import ran, sampled every 20 ms. */
  peakRssBytes: number;
}

const RSS_SAMPLE_MS = 20;

/** Jets with 20–120 random constituents: the I/O, conversion and hashing cost of real files, not their physics. */
function syntheticJets(start: number, count: number) {
  const p4 = new Float32Array(count * TOPTAG_CONSTITUENTS * 4);
  const labels = new Int8Array(count);
  for (let j = 0; j < count; j++) {
    const u = mulberry32(start + j + 1);
    const n = 20 + Math.floor(100 * u());
    for (let c = 0; c < n; c++) {
      const pt = 600 * u() * (1 - c / n) + 1;
      const phi = 2 * Math.PI * u();
      const eta = 2 * u() - 1;
      const o = (j * TOPTAG_CONSTITUENTS + c) * 4;
      p4.set([pt * Math.cosh(eta), pt * Math.cos(phi), pt * Math.sin(phi), pt * Math.sinh(eta)], o);
    }
    labels[j] = j % 2;
  }
  return { p4, truth: new Float32Array(count * 4), labels, ttv: new Int8Array(count) };
}

export async function importBench(rows: number, log: (line: string) => void): Promise<ImportBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'awb-import-bench-'));
  try {
    const file = join(dir, 'toptag.h5');
    log(`import: writing a ${rows}-jet Top Tagging file`);
    await writeTopTaggingHdf5(file, rows, syntheticJets, { generator: 'bench', spec: { rows }, labelNames: { '0': 'qcd', '1': 'top' } });
    const fileBytes = statSync(file).size;
    const engine = await Engine.open({ home: join(dir, 'home') });
    let peakRssBytes = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
    }, RSS_SAMPLE_MS);
    try {
      const t0 = performance.now();
      const { taskId } = await engine.call('datasets.import', { path: file, name: 'bench' });
      const outcome = await engine.waitForTask(taskId);
      const seconds = (performance.now() - t0) / 1000;
      if (outcome.status !== 'finished') throw new Error(`import bench: the import ${outcome.status}: ${outcome.error ?? ''}`);
      const result = { rows, fileBytes, seconds, rowsPerSec: rows / seconds, bytesPerSec: fileBytes / seconds, peakRssBytes };
      log(`import: ${rows} jets (${(fileBytes / 2 ** 20).toFixed(0)} MiB) in ${seconds.toFixed(1)} s, peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
      return result;
    } finally {
      clearInterval(sampler);
      await engine.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
