import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '../../../src/main/engine/registry/registry';
import { apiError, useTempHomes } from './helpers';

const tempHome = useTempHomes();
let reg: Registry;
beforeEach(() => {
  reg = Registry.open(tempHome(), { engineVersion: '1.2.3' });
});
afterEach(() => reg.close());

describe('datasets', () => {
  const input = {
    name: 'toptag-small',
    sourcePath: '/data/toptag/train.h5',
    format: 'toptag-h5',
    kind: 'jets' as const,
    sourceHash: 'b'.repeat(64),
    contentHash: 'a'.repeat(64),
    rows: 1000,
    shapes: { images: [1000, 40, 40], mass: [1000] },
    countsByLabel: { qcd: 500, top: 500 },
    labelNames: { '0': 'qcd', '1': 'top' },
    columns: null,
    splits: { fractions: [0.6, 0.2, 0.2] as [number, number, number], seed: 0, counts: { train: { qcd: 300, top: 300 } } },
    meta: { pandasFormat: 'fixed' },
  };

  it('records datasets and finds them by name or id', () => {
    const d = reg.addDataset(input);
    expect(d).toMatchObject(input);
    expect(d.id).toMatch(/^d[0-9a-z]{15}$/);
    expect(d.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(reg.getDataset('toptag-small')).toEqual(d);
    expect(reg.getDataset(d.id)).toEqual(d);
    const other = reg.addDataset({ ...input, name: 'another' });
    expect(reg.listDatasets().map((x) => x.name)).toEqual(['another', 'toptag-small']);
    const run = reg.createRun({ kind: 'train', name: 'on data', config: {}, datasetId: other.id });
    expect(reg.getRun(run).status).toBe('queued');
  });

  it('refuses duplicate names, unknown datasets and malformed records', () => {
    reg.addDataset(input);
    expect(apiError(() => reg.addDataset(input))).toMatchObject({ code: 'conflict', message: 'a dataset named "toptag-small" already exists' });
    expect(apiError(() => reg.getDataset('nope'))).toMatchObject({ code: 'not-found', message: 'no dataset named "nope"' });
    expect(apiError(() => reg.addDataset({ ...input, name: 'x', shapes: { images: [10, -1] } })).message).toBe(
      'dataset "x": shape of "images" must be a list of non-negative integers',
    );
    expect(apiError(() => reg.addDataset({ ...input, name: 'x', countsByLabel: { top: 0.5 } })).message).toBe(
      'dataset "x": count of label "top" must be a non-negative integer',
    );
    expect(apiError(() => reg.addDataset({ ...input, name: ' x' })).code).toBe('bad-request');
    expect(apiError(() => reg.addDataset({ ...input, name: 'x', format: '' })).message).toBe('dataset "x": format must be a non-empty string');
    expect(reg.listDatasets()).toHaveLength(1);
  });
});
