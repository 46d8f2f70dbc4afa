// The runs browser's rows: key parameters from configs, sorting with missing values last, and grouping
// by configuration (seed aside) with mean ± sample std of AUC and rejection, checked by hand.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '@shared/api';
import { configurationKey, groupByConfiguration, keyParams, parseSort, runRow, sortRows } from '../../../src/renderer/src/runs/run-table';

function summary(id: string, seed: number | null, metrics: Record<string, number>, kind = 'train'): RunSummary {
  return {
    id, kind, name: `run ${id}`, status: 'finished', parentId: null, seed, backend: 'cpu', device: null, engineVersion: '1',
    createdAt: `2026-01-0${id.length}T00:00:00Z`, startedAt: null, endedAt: null, error: null, tags: [], summary: metrics,
  };
}

const train = (seed: number, epochs = 1) => ({ dataset: 'qcd', signal: ['top'], model: 'dense-ae', epochs, seed, widths: [32, 8] });

describe('key parameters', () => {
  it('reads model, dataset, epochs and seed of training runs, self-tests and studies', () => {
    expect(keyParams('train', train(4, 3), 4)).toEqual({ model: 'dense-ae', dataset: 'qcd', epochs: 3, seed: 4 });
    expect(keyParams('selftest', { seed: 2, epochs: 5, samples: 100 }, null)).toEqual({ model: 'dense-ae', dataset: 'gaussian', epochs: 5, seed: 2 });
    expect(keyParams('study', { kind: 'inverted-task', dataset: { name: 'top' } }, 1)).toEqual({ model: 'inverted-task', dataset: 'top', epochs: null, seed: 1 });
    expect(keyParams('train', null, null)).toEqual({ model: null, dataset: null, epochs: null, seed: null });
  });
});

describe('sorting', () => {
  const rows = [
    runRow(summary('a', 1, { auc: 0.7, rejection: 5 }), train(1)),
    runRow(summary('b', 2, {}), train(2)),
    runRow(summary('c', 3, { auc: 0.9, rejection: 2 }), train(3)),
    runRow(summary('d', 4, { auc: 0.8, rejection: 12 }), train(4)),
  ];
  const ids = (rs: { run: RunSummary }[]) => rs.map((r) => r.run.id);

  it('orders by a metric both ways, runs without it last', () => {
    expect(ids(sortRows(rows, 'auc', 'desc'))).toEqual(['c', 'd', 'a', 'b']);
    expect(ids(sortRows(rows, 'auc', 'asc'))).toEqual(['a', 'd', 'c', 'b']);
    expect(ids(sortRows(rows, 'rejection', 'desc'))).toEqual(['d', 'a', 'c', 'b']);
  });

  it('orders text naturally (run 10 after run 9) and parses the URL form', () => {
    const named = ['run 10', 'run 9', 'run 100'].map((n, i) => ({ ...rows[i], run: { ...rows[i].run, name: n } }));
    expect(sortRows(named, 'name', 'asc').map((r) => r.run.name)).toEqual(['run 9', 'run 10', 'run 100']);
    expect(parseSort('auc:desc')).toEqual({ key: 'auc', dir: 'desc' });
    expect(parseSort('nope:asc')).toBeNull();
    expect(parseSort(undefined)).toBeNull();
  });
});

describe('grouping by configuration', () => {
  it('puts runs that differ only in the seed together, with mean ± sample std over them', () => {
    const configs = new Map<string, unknown>([
      ['a', train(1)],
      ['b', { ...train(2), widths: [32, 8] }],
      ['c', { seed: 3, widths: [32, 8], epochs: 1, model: 'dense-ae', signal: ['top'], dataset: 'qcd' }], // other key order
      ['d', train(4, 2)],
    ]);
    const rows = [
      runRow(summary('a', 1, { auc: 0.8, rejection: 4 }), configs.get('a')),
      runRow(summary('b', 2, { auc: 0.9, rejection: 6 }), configs.get('b')),
      runRow(summary('c', 3, { auc: 1.0, rejection: 11 }), configs.get('c')),
      runRow(summary('d', 4, { auc: 0.5 }), configs.get('d')),
    ];
    const groups = groupByConfiguration(rows, configs);
    expect(groups).toHaveLength(2);
    const [three, one] = groups;
    expect(three.rows.map((r) => r.run.id)).toEqual(['a', 'b', 'c']);
    expect(three.seeds).toEqual([1, 2, 3]);
    // mean 0.9; deviations ±0.1, 0 → s² = 0.02/2 → s = 0.1. Rejection: mean 7, s² = (9+1+16)/2 = 13.
    expect(three.auc!.mean).toBeCloseTo(0.9, 12);
    expect(three.auc!.std).toBeCloseTo(0.1, 12);
    expect(three.rejection!.mean).toBeCloseTo(7, 12);
    expect(three.rejection!.std).toBeCloseTo(Math.sqrt(13), 12);
    expect(one.rows.map((r) => r.run.id)).toEqual(['d']);
    expect(one.auc).toEqual({ mean: 0.5, std: 0, values: [0.5] });
    expect(one.rejection).toBeNull();
  });

  it('keeps runs of different kinds apart, and a seed inside the config does not split a group', () => {
    expect(configurationKey('train', train(1))).toBe(configurationKey('train', train(99)));
    expect(configurationKey('train', train(1))).not.toBe(configurationKey('selftest', train(1)));
    expect(configurationKey('train', train(1))).not.toBe(configurationKey('train', train(1, 2)));
  });
});
