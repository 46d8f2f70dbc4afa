import { describe, expect, it } from 'vitest';
import { formatBenchReport } from '../../../src/main/engine/bench/format-report';
import type { BenchReport } from '../../../src/main/engine/bench/run-bench';

const metrics = { scores: 10_000_000, seconds: 1.25, scoresPerSec: 8_000_000, rocPoints: 8_120_150, auc: 0.68 };
const machine = { cpu: 'Test CPU', cores: 2, memoryGiB: 7.8, node: 'v20.0.0', platform: 'linux-x64', tfjs: '4.22.0', threads: 1 };

describe('formatBenchReport', () => {
  it('prints the machine and one aligned row per result, with PyTorch and the ratio', () => {
    const report: BenchReport = {
      machine: { ...machine, torch: '1.13.1', blas: 'OpenBLAS 0.3.21' },
      results: [
        { name: 'conv-ae train', engine: 'tfjs-wasm', value: 240.04, unit: 'samples/s', reference: 800, ratio: 0.30005 },
        { name: 'conv-ae train', engine: 'pytorch-cpu', value: 800, unit: 'samples/s', reference: null, ratio: null },
        { name: 'dense-ae train', engine: 'tfjs-cpu', value: 12_345.6, unit: 'samples/s', reference: 30_000, ratio: 0.41152 },
        { name: 'dense-ae inference', engine: 'tfjs-cpu', value: 45.25, unit: 'samples/s', reference: null, ratio: null },
      ],
      imports: [{ rows: 50_000, fileBytes: 165 * 2 ** 20, seconds: 5, rowsPerSec: 10_000, bytesPerSec: 33 * 2 ** 20, peakRssBytes: 412 * 2 ** 20 }],
      metrics,
    };
    expect(formatBenchReport(report)).toBe(
      [
        'machine  Test CPU, 2 cores, 7.8 GiB, node v20.0.0, linux-x64',
        'tfjs     4.22.0',
        'pytorch  1.13.1 on 1 thread(s), BLAS OpenBLAS 0.3.21',
        '',
        'benchmark           engine       samples/s  pytorch  ratio',
        'conv-ae train       tfjs-wasm          240      800  0.30×',
        'conv-ae train       pytorch-cpu        800',
        'dense-ae train      tfjs-cpu        12,346   30,000  0.41×',
        'dense-ae inference  tfjs-cpu          45.3',
        '',
        'import (Top Tagging pandas store → dataset store, incl. source hash)',
        '  50,000 jets, 165 MiB: 10,000 jets/s (33 MiB/s), peak RSS 412 MiB',
        '',
        'metrics (ROC + AUC on random float32 scores)',
        '  10,000,000 scores: 1.25 s (8,000,000 scores/s)',
      ].join('\n'),
    );
  });

  it('says when there is no PyTorch reference', () => {
    expect(formatBenchReport({ machine, results: [], imports: [], metrics })).toContain('pytorch  not available: no reference values');
  });
});
