// The Data screens' engine functions against independent references: a CSV and a Top Tagging file
// written by pandas, their first rows, label counts and per-class histograms from NumPy.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetInfo, DatasetSummary } from '@shared/api';
import { runPythonJson } from '../../helpers/python-json';
import { inspectFile } from '../../../src/main/engine/data/inspect-file';
import { listFiles } from '../../../src/main/engine/data/list-files';
import { SUMMARY_FILE } from '../../../src/main/engine/data/dataset-summary';
import { datasetFolder } from '../../../src/main/engine/data/store/dataset-store';
import { Engine } from '../../../src/main/engine/engine';

const SCRIPT = join(__dirname, 'data_views_reference.py');

interface Reference {
  table: { head: number[][]; counts: Record<string, number>; columns: Record<string, number[]>; labels: number[] };
  jets: { multiplicity: number[]; pt: number[]; mass: number[]; labels: number[] };
}

let dir: string;
let ref: Reference;
let engine: Engine;

async function importFile(path: string, name: string): Promise<DatasetInfo> {
  const { taskId } = await engine.call('datasets.import', { path, name });
  const outcome = await engine.waitForTask(taskId);
  if (outcome.status !== 'finished') throw new Error(`import of ${path}: ${outcome.error}`);
  return outcome.result as DatasetInfo;
}

function numpyHistograms(values: number[], labels: number[], classes: Record<string, number>, edges: number[]): Record<string, number[]> {
  return runPythonJson(SCRIPT, { action: 'hist', values, labels, classes, edges });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'awb-data-views-'));
  ref = runPythonJson<Reference>(SCRIPT, { action: 'write', dir, seed: 7 });
  engine = await Engine.open({ home: join(dir, 'home') });
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('files.list', () => {
  it('lists folders first, then files, each by name, with sizes; the parent is the folder above', () => {
    const d = join(dir, 'listing');
    mkdirSync(join(d, 'zeta'), { recursive: true });
    mkdirSync(join(d, 'alpha'));
    writeFileSync(join(d, 'b.csv'), 'x\n1\n');
    writeFileSync(join(d, 'a.h5'), '');
    const l = listFiles(d);
    expect(l.dir).toBe(d);
    expect(l.parent).toBe(dir);
    expect(l.entries.map((e) => [e.name, e.kind, e.size])).toEqual([
      ['alpha', 'dir', 0],
      ['zeta', 'dir', 0],
      ['a.h5', 'file', 0],
      ['b.csv', 'file', 4],
    ]);
    expect(l.entries[3].path).toBe(join(d, 'b.csv'));
    expect(listFiles('/').parent).toBeNull();
  });

  it("defaults to the user's home folder and names a folder it cannot list", async () => {
    expect(listFiles().dir).toBe(homedir());
    const missing = join(dir, 'no-such-folder');
    expect(() => listFiles(missing)).toThrow(`folder ${missing} does not exist`);
    await expect(engine.call('files.list', { dir: join(dir, 'table.csv') })).rejects.toThrow(/table\.csv is not a folder/);
  });
});

describe('datasets.inspect', () => {
  it('previews a CSV as pandas reads it: columns, first rows, label counts over every row', async () => {
    const r = await inspectFile({ path: join(dir, 'table.csv'), format: 'auto' });
    expect(r).toMatchObject({ format: 'csv', kind: 'table', rows: 3000, columns: ['a', 'b', 'c'], chosenColumns: ['a', 'b', 'c'], labelColumn: 'label', countedRows: 3000 });
    expect(r.preview.header).toEqual(['a', 'b', 'c', 'label']);
    expect(r.preview.rows).toHaveLength(10);
    r.preview.rows.forEach((row, i) => {
      // Six significant digits of the float32 value.
      for (let c = 0; c < 3; c++) expect(Math.abs((row[c] as number) - ref.table.head[i][c])).toBeLessThanOrEqual(1e-5 * Math.abs(ref.table.head[i][c]));
      expect(row[3]).toBe(ref.table.head[i][3] === 1 ? 'signal' : 'background');
    });
    expect(r.countsByLabel).toEqual({ background: ref.table.counts['0'], signal: ref.table.counts['1'] });
    expect(r.notes).toContain('labels from the column "label"');
  });

  it('narrows to chosen columns but still offers every candidate', async () => {
    const r = await inspectFile({ path: join(dir, 'table.csv'), format: 'csv', columns: ['c', 'a'] });
    expect(r.columns).toEqual(['a', 'b', 'c']);
    expect(r.chosenColumns).toEqual(['c', 'a']);
    expect(r.preview.header).toEqual(['c', 'a', 'label']);
    expect(r.preview.rows[0][0] as number).toBeCloseTo(ref.table.head[0][2], 3);
  });

  it('summarises jets per row (constituents, pT, mass, label) instead of 800 raw columns', async () => {
    const r = await inspectFile({ path: join(dir, 'jets.h5'), format: 'auto' });
    expect(r).toMatchObject({ format: 'toptag', kind: 'jets', rows: 400, columns: null, chosenColumns: null });
    expect(r.preview.header).toEqual(['constituents', 'pT [GeV]', 'η', 'mass [GeV]', 'label']);
    r.preview.rows.forEach((row, i) => {
      expect(row[0]).toBe(ref.jets.multiplicity[i]);
      expect(Math.abs((row[1] as number) / ref.jets.pt[i] - 1)).toBeLessThan(1e-5);
      expect(Math.abs((row[3] as number) - ref.jets.mass[i])).toBeLessThan(1e-5 * ref.jets.mass[i] + 1e-3);
      expect(row[4]).toBe(ref.jets.labels[i] === 1 ? 'top' : 'qcd');
    });
    const top = ref.jets.labels.filter((l) => l === 1).length;
    expect(r.countsByLabel).toEqual({ qcd: 400 - top, top });
  });

  it('refuses a bad file as a bad request naming the file', async () => {
    const bad = join(dir, 'bad.h5');
    writeFileSync(bad, 'not an HDF5 file at all');
    await expect(engine.call('datasets.inspect', { path: bad })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining(bad) });
    const missing = join(dir, 'missing.csv');
    await expect(engine.call('datasets.inspect', { path: missing })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining(missing) });
  });
});

describe('datasets.summary', () => {
  it('bins every column of a table per class exactly as numpy.histogram, with integer data in unit bins', async () => {
    const info = await importFile(join(dir, 'table.csv'), 'table');
    const s = await engine.call('datasets.summary', { id: info.id });
    expect(s.cached).toBe(false);
    expect(s.jetImages).toBeNull();
    expect(s.rowsByLabel).toEqual({ background: ref.table.counts['0'], signal: ref.table.counts['1'] });
    expect(s.histograms.map((h) => h.key)).toEqual(['a', 'b', 'c']);
    for (const h of s.histograms) {
      const want = numpyHistograms(ref.table.columns[h.key], ref.table.labels, { background: 0, signal: 1 }, h.edges);
      expect(h.counts).toEqual(want);
      for (const name of ['background', 'signal']) {
        const total = h.counts[name].reduce((a, b) => a + b, 0) + h.underflow[name] + h.overflow[name];
        expect(total).toBe(s.rowsByLabel[name]);
      }
    }
    // b holds the integers 0…9: ten unit bins centred on them.
    expect(s.histograms[1].edges).toEqual(Array.from({ length: 11 }, (_, i) => i - 0.5));
  });

  it('bins jet observables per class as NumPy does, and the mean plain image of each class sums to 1', async () => {
    const info = await importFile(join(dir, 'jets.h5'), 'jets');
    const s = await engine.call('datasets.summary', { id: info.id });
    expect(s.histograms.map((h) => h.label)).toEqual(['jet mass [GeV]', 'jet pT [GeV]', 'constituent multiplicity', 'τ21', 'τ32']);
    const classes = { qcd: 0, top: 1 };
    const mult = s.histograms[2];
    expect(mult.counts).toEqual(numpyHistograms(ref.jets.multiplicity, ref.jets.labels, classes, mult.edges));
    const lo = Math.min(...ref.jets.multiplicity);
    expect(mult.edges[0]).toBe(lo - 0.5);
    const mass = s.histograms[0];
    const want = numpyHistograms(ref.jets.mass, ref.jets.labels, classes, mass.edges);
    for (const name of Object.keys(classes)) {
      // float32 sums in a different order may move a value sitting on an edge by one bin, nothing more.
      const diff = mass.counts[name].reduce((a, c, i) => a + Math.abs(c - want[name][i]), 0);
      expect(diff).toBeLessThanOrEqual(2);
    }
    const top = ref.jets.labels.filter((l) => l === 1).length;
    const images = [...s.jetImages!].sort((a, b) => a.label.localeCompare(b.label));
    expect(images.map((m) => [m.label, m.rows, m.pixels, m.values.length])).toEqual([
      ['qcd', 400 - top, 40, 1600],
      ['top', top, 40, 1600],
    ]);
    for (const m of s.jetImages!) expect(m.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('answers a second call from the cache in the dataset folder, and recomputes a summary of other content', async () => {
    const info = (await engine.call('datasets.list', {})).find((d) => d.name === 'table')!;
    const first = await engine.call('datasets.summary', { id: info.id });
    expect(first.cached).toBe(true);
    const file = join(datasetFolder(engine.home, info.id), SUMMARY_FILE);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version: number; summary: DatasetSummary };
    expect(saved.summary.contentHash).toBe(info.contentHash);
    saved.summary.contentHash = 'f'.repeat(64);
    saved.summary.rowsByLabel = { tampered: 1 };
    writeFileSync(file, JSON.stringify(saved));
    const again = await engine.call('datasets.summary', { id: info.id });
    expect(again.cached).toBe(false);
    expect(again.rowsByLabel).toEqual(first.rowsByLabel);
  });
});
