// Configs side by side: flattened keys and which rows differ.
import { describe, expect, it } from 'vitest';
import { diffConfigs, flattenConfig } from '../../../src/shared/config-diff';

describe('config flattening', () => {
  it('gives dotted keys, keeps arrays of values in one cell and indexes arrays of objects', () => {
    expect(
      flattenConfig({ model: 'vae', widths: [64, 32], lrSchedule: { kind: 'plateau', factor: 0.5 }, signals: [{ name: 'top' }, { name: 'w' }], empty: {}, resumeFrom: null, annealing: false }),
    ).toEqual({
      model: 'vae',
      widths: '[64, 32]',
      'lrSchedule.kind': 'plateau',
      'lrSchedule.factor': '0.5',
      'signals.0.name': 'top',
      'signals.1.name': 'w',
      empty: '{}',
      resumeFrom: 'null',
      annealing: 'false',
    });
  });
});

describe('config diff', () => {
  it('lists every key once, sorted, with a missing key as null, and marks the rows that differ', () => {
    const rows = diffConfigs([
      { model: 'dense-ae', seed: 1, widths: [32, 8] },
      { model: 'dense-ae', seed: 2, widths: [32, 8], maxTrain: 100 },
    ]);
    expect(rows).toEqual([
      { key: 'maxTrain', values: [null, '100'], differs: true },
      { key: 'model', values: ['dense-ae', 'dense-ae'], differs: false },
      { key: 'seed', values: ['1', '2'], differs: true },
      { key: 'widths', values: ['[32, 8]', '[32, 8]'], differs: false },
    ]);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['maxTrain', 'seed']);
  });
});
