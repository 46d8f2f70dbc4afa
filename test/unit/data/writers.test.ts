// The HDF5 writers of `awb generate`, checked with Debian's pandas / PyTables / h5py (writers_check.py) and
// with the project's own readers: layout, every value, the generator stamp, refusing to overwrite, removing
// partial files, and determinism.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdc2021 } from '../../../src/main/engine/data/readers/adc2021';
import { openHdf5File, readGeneratorStamp } from '../../../src/main/engine/data/readers/hdf5-file';
import { openTopTagging } from '../../../src/main/engine/data/readers/toptag';
import type { GeneratorStamp } from '../../../src/main/engine/data/source';
import { writeAdc2021Hdf5, writeFeaturesHdf5 } from '../../../src/main/engine/data/writers/hdf5-arrays';
import { writeTopTaggingHdf5, type TopTagRows } from '../../../src/main/engine/data/writers/pandas-fixed';
import { fileBuffer } from '../../helpers/files';

const ROWS = 37;
const CHUNK = 10; // 37 rows in chunks of 10: the last chunk is short
const CHECKER = join(__dirname, 'writers_check.py');

const STAMP: GeneratorStamp = {
  generator: 'jets',
  spec: { process: 'top', n: ROWS, seed: 7, note: 'η > 0' },
  labelNames: { '0': 'qcd', '1': 'top' },
};

// ---- deterministic test data, built here and never by the code under test ----

function topRows(start: number, count: number): TopTagRows {
  const p4 = new Float32Array(count * 800);
  const truth = new Float32Array(count * 4);
  const labels = new Uint8Array(count);
  const ttv = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const row = start + r;
    const constituents = 1 + ((row * 53) % 200); // zero-padded after that
    for (let c = 0; c < constituents; c++) {
      for (let k = 0; k < 4; k++) p4[r * 800 + c * 4 + k] = ((row * 131 + c * 17 + k * 7) % 1000) / 8 - 40 + row / 1024;
    }
    for (let k = 0; k < 4; k++) truth[r * 4 + k] = 100 * row + k + 0.25;
    labels[r] = row % 3 === 0 ? 1 : 0;
    ttv[r] = row % 3;
  }
  return { p4, truth, labels, ttv };
}

const slotClass = (s: number) => (s === 0 ? 1 : s <= 4 ? 2 : s <= 8 ? 3 : 4);

function adcRows(start: number, count: number): Float32Array {
  const out = new Float32Array(count * 76);
  for (let r = 0; r < count; r++) {
    const row = start + r;
    for (let s = 0; s < 19; s++) {
      if (s > 0 && (row + s) % 3 === 0) continue; // an empty slot: all zeros
      const at = r * 76 + s * 4;
      out[at] = 10 + row + s / 2;
      out[at + 1] = s === 0 ? 0 : ((row * 7 + s) % 50) / 10 - 2.5;
      out[at + 2] = ((row * 11 + s * 3) % 62) / 10 - 3.1;
      out[at + 3] = slotClass(s);
    }
  }
  return out;
}

const FEATURE_COLUMNS = ['mjj', 'η_j1', 'τ21'];
function featureTable() {
  const features = Float32Array.from({ length: ROWS * 3 }, (_, i) => Math.sin(i) * 100);
  const labels = Int8Array.from({ length: ROWS }, (_, r) => (r % 4) - 1); // includes -1 (unlabelled)
  const intrinsic = Float32Array.from({ length: ROWS * 2 }, (_, i) => i / 8);
  return { rows: ROWS, columns: FEATURE_COLUMNS, features, labels, extra: { intrinsic: { data: intrinsic, rowShape: [2] } } };
}

const TOP_COLUMNS = [
  ...Array.from({ length: 200 }, (_, i) => ['E', 'PX', 'PY', 'PZ'].map((c) => `${c}_${i}`)).flat(),
  'truthE',
  'truthPX',
  'truthPY',
  'truthPZ',
  'ttv',
  'is_signal_new',
];

// ---- helpers ----

let dir: string;
const file = (name: string) => join(dir, name);

interface Node {
  kind: 'group' | 'dataset';
  shape?: number[];
  dtype?: string;
  values?: string[];
  attrs: Record<string, { value: unknown; dtype: string }>;
}

/** Runs writers_check.py; its array dumps land in a fresh folder returned as `out`. */
function check(mode: 'pandas' | 'h5py', path: string): { out: string; result: Record<string, unknown> & { layout: Record<string, Node> } } {
  const out = mkdtempSync(join(dir, `${mode}-`));
  const json = execFileSync('/usr/bin/python3', [CHECKER, mode, path, out], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { out, result: JSON.parse(json) };
}

function bin<T>(path: string, View: new (b: ArrayBuffer) => T): T {
  return new View(fileBuffer(path));
}

function stampOf(path: string): GeneratorStamp | null {
  const f = openHdf5File(path, path);
  try {
    return readGeneratorStamp(f, path);
  } finally {
    f.close();
  }
}

/** The whole message, not a substring: an error must name the file once and not be wrapped twice. */
const exactly = (message: string) => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const writeTop = (path: string, opts = {}) => writeTopTaggingHdf5(path, ROWS, topRows, STAMP, { chunkRows: CHUNK, ...opts });
const writeAdc = (path: string, opts = {}) => writeAdc2021Hdf5(path, ROWS, adcRows, STAMP, { chunkRows: CHUNK, ...opts });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'awb-writers-'));
  await h5wasm.ready;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- Top Tagging (pandas fixed) ----

describe('writeTopTaggingHdf5', () => {
  let path: string;
  const progress: number[] = [];
  beforeAll(async () => {
    path = file('top.h5');
    await writeTop(path, { onProgress: (n: number) => progress.push(n) });
  });

  it('streams in chunks of chunkRows and reports progress after each', () => {
    expect(progress).toEqual([10, 20, 30, 37]);
  });

  it('pandas.read_hdf(path, "table") gives the 806 documented columns, their dtypes and every value written', () => {
    const { out, result } = check('pandas', path);
    expect(result.shape).toEqual([ROWS, 806]);
    expect(result.columns).toEqual(TOP_COLUMNS);
    expect(result.dtypes).toEqual([...Array(804).fill('float32'), 'int64', 'int64']);
    expect(result.index_is_range).toBe(true);
    expect(result.pandas_type).toBe('frame');

    const { p4, truth, labels, ttv } = topRows(0, ROWS);
    const floats = bin(join(out, 'floats.bin'), Float32Array);
    const expected = new Float32Array(ROWS * 804);
    for (let r = 0; r < ROWS; r++) {
      expected.set(p4.subarray(r * 800, (r + 1) * 800), r * 804);
      expected.set(truth.subarray(r * 4, (r + 1) * 4), r * 804 + 800);
    }
    expect(floats).toEqual(expected);
    const ints = bin(join(out, 'ints.bin'), BigInt64Array);
    expect(Array.from(ints)).toEqual(Array.from({ length: ROWS }, (_, r) => [BigInt(ttv[r]), BigInt(labels[r])]).flat());
  });

  it('has the node and attribute layout pandas itself writes, up to what h5wasm cannot express', () => {
    const { result } = check('pandas', path);
    const ours = result.layout;
    const theirs = result.pandas_layout as Record<string, Node>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const [name, ref] of Object.entries(theirs)) {
      const node = ours[name];
      expect([name, node.kind, node.shape, node.dtype]).toEqual([name, ref.kind, ref.shape, ref.dtype]);
      // TITLE has a null dataspace in PyTables' files, which h5wasm cannot create; ours adds only the stamp.
      const refNames = Object.keys(ref.attrs).filter((a) => a !== 'TITLE');
      const extra = name === '/' ? ['awb_generator'] : [];
      expect([name, Object.keys(node.attrs).sort()]).toEqual([name, [...refNames, ...extra].sort()]);
      for (const a of refNames) {
        expect([name, a, node.attrs[a].value]).toEqual([name, a, ref.attrs[a].value]);
        // h5wasm writes UTF-8 strings space-padded (PyTables: null-terminated) and a uint8 for numpy's bool.
        const type = (t: string) => t.replace(/ (spacepad|nullterm) /, ' ');
        expect([name, a, type(node.attrs[a].dtype)]).toEqual([name, a, type(ref.attrs[a].dtype)]);
      }
    }
    expect(result.pytables_classes).toEqual({
      '/': 'RootGroup',
      '/table': 'Group',
      '/table/axis0': 'Array',
      '/table/axis1': 'Array',
      '/table/block0_items': 'Array',
      '/table/block0_values': 'Array',
      '/table/block1_items': 'Array',
      '/table/block1_values': 'Array',
    });
  });

  it('the root attribute holds the generator stamp as JSON, for h5py and for our reader', () => {
    const { result } = check('h5py', path);
    expect(JSON.parse(result.layout['/'].attrs.awb_generator.value as string)).toEqual(STAMP);
    expect(stampOf(path)).toEqual(STAMP);
  });

  it('openTopTagging reads back every value, in odd slices', () => {
    const reader = openTopTagging(path);
    try {
      expect([reader.rows, reader.format]).toEqual([ROWS, 'fixed']);
      for (const [start, count] of [
        [0, ROWS],
        [3, 11],
        [36, 1],
      ]) {
        const want = topRows(start, count);
        const got = reader.read(start, count);
        expect(got.p4).toEqual(want.p4);
        expect(got.truth).toEqual(want.truth);
        expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
        expect(Array.from(got.ttv)).toEqual(Array.from(want.ttv));
      }
    } finally {
      reader.close();
    }
  });
});

// ---- ADC2021 and feature tables ----

describe('writeAdc2021Hdf5', () => {
  let path: string;
  beforeAll(async () => {
    path = file('adc.h5');
    await writeAdc(path);
  });

  it('h5py sees Particles (N, 19, 4) float32 with every value, the names, the classes and the stamp', () => {
    const { out, result } = check('h5py', path);
    const { layout } = result;
    expect(Object.keys(layout).sort()).toEqual(['/', 'Particles', 'Particles_Classes', 'Particles_Names']);
    expect([layout.Particles.shape, layout.Particles.dtype]).toEqual([[ROWS, 19, 4], '<f4']);
    expect(bin(join(out, 'Particles.bin'), Float32Array)).toEqual(adcRows(0, ROWS));
    expect(layout.Particles_Names.values).toEqual(['Pt', 'Eta', 'Phi', 'Class']);
    expect(layout.Particles_Classes.values).toEqual(['MET_class_1', 'Four_Ele_class_2', 'Four_Mu_class_3', 'Ten_Jet_class_4']);
    // Fixed-length byte strings (numpy |S), as the organisers' files hold them.
    expect(layout.Particles_Names.dtype).toMatch(/^string S5 \w+ ascii$/);
    expect(layout.Particles_Classes.dtype).toMatch(/^string S16 \w+ ascii$/);
    expect(JSON.parse(layout['/'].attrs.awb_generator.value as string)).toEqual(STAMP);
  });

  it('openAdc2021 reads back every value and the stamp', () => {
    const reader = openAdc2021(path);
    try {
      expect(reader.events).toBe(ROWS);
      expect(reader.read(0, ROWS).particles).toEqual(adcRows(0, ROWS));
      expect(reader.read(7, 13).particles).toEqual(adcRows(7, 13));
    } finally {
      reader.close();
    }
    expect(stampOf(path)).toEqual(STAMP);
  });
});

describe('writeFeaturesHdf5', () => {
  it('h5py sees features with their column names, int8 labels, the extra arrays and the stamp', async () => {
    const path = file('features.h5');
    const table = featureTable();
    await writeFeaturesHdf5(path, table, STAMP);
    const { out, result } = check('h5py', path);
    const { layout } = result;
    expect(Object.keys(layout).sort()).toEqual(['/', 'features', 'intrinsic', 'labels']);
    expect([layout.features.shape, layout.features.dtype]).toEqual([[ROWS, 3], '<f4']);
    expect(layout.features.attrs.columns.value).toEqual(FEATURE_COLUMNS);
    expect(bin(join(out, 'features.bin'), Float32Array)).toEqual(table.features);
    expect([layout.labels.shape, layout.labels.dtype]).toEqual([[ROWS], '|i1']);
    expect(bin(join(out, 'labels.bin'), Int8Array)).toEqual(table.labels);
    expect([layout.intrinsic.shape, layout.intrinsic.dtype]).toEqual([[ROWS, 2], '<f4']);
    expect(bin(join(out, 'intrinsic.bin'), Float32Array)).toEqual(table.extra.intrinsic.data);
    expect(stampOf(path)).toEqual(STAMP);
  });

  it('refuses inconsistent tables with errors naming the file and the problem, writing nothing', async () => {
    const path = file('bad-features.h5');
    const t = featureTable();
    const where = `Feature table output ${path}`;
    await expect(writeFeaturesHdf5(path, { ...t, columns: ['a', 'b', 'a'] }, STAMP)).rejects.toThrow(exactly(`${where}: column 'a' appears twice`));
    await expect(writeFeaturesHdf5(path, { ...t, labels: t.labels.subarray(1) }, STAMP)).rejects.toThrow(
      exactly(`${where}: rows 0..37: labels holds 36 values, expected 37`),
    );
    const nan = t.features.slice();
    nan[3 * 5 + 1] = NaN;
    await expect(writeFeaturesHdf5(path, { ...t, features: nan }, STAMP)).rejects.toThrow(exactly(`${where}: row 5, column η_j1 is NaN`));
    await expect(writeFeaturesHdf5(path, { ...t, extra: { labels: t.extra.intrinsic } }, STAMP)).rejects.toThrow(
      exactly(`${where}: extra array 'labels' would replace the labels`),
    );
    expect(existsSync(path)).toBe(false);
  });
});

// ---- no overwriting, no partial files ----

describe('failures leave no partial file behind', () => {
  it('refuses to overwrite an existing file and leaves it untouched', async () => {
    const path = file('existing.h5');
    writeFileSync(path, 'keep me');
    const refusal = ': the file already exists; refusing to overwrite it';
    await expect(writeTop(path)).rejects.toThrow(exactly(`Top Tagging output ${path}${refusal}`));
    await expect(writeAdc(path)).rejects.toThrow(exactly(`ADC2021 output ${path}${refusal}`));
    await expect(writeFeaturesHdf5(path, featureTable(), STAMP)).rejects.toThrow(exactly(`Feature table output ${path}${refusal}`));
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('removes the partial file when read throws midway', async () => {
    const path = file('throws.h5');
    const read = (start: number, count: number) => {
      if (start >= 20) throw new Error('generator failed');
      return topRows(start, count);
    };
    await expect(writeTopTaggingHdf5(path, ROWS, read, STAMP, { chunkRows: CHUNK })).rejects.toThrow(
      exactly(`Top Tagging output ${path}: generator failed`),
    );
    expect(existsSync(path)).toBe(false);
  });

  it('removes the partial file when shouldStop turns true', async () => {
    for (const [name, write] of [
      ['stop-top.h5', writeTop],
      ['stop-adc.h5', writeAdc],
    ] as const) {
      const path = file(name);
      let calls = 0;
      const done: number[] = [];
      await expect(write(path, { shouldStop: () => ++calls > 2, onProgress: (n: number) => done.push(n) })).rejects.toThrow(
        new RegExp(`^(Top Tagging|ADC2021) output ${path}: stopped after 20 of 37 rows; the partial file was removed$`),
      );
      expect(done).toEqual([10, 20]);
      expect(existsSync(path)).toBe(false);
    }
  });

  it('removes the partial file when a chunk is malformed, naming the rows and the problem', async () => {
    const path = file('malformed.h5');
    await expect(writeAdc2021Hdf5(path, ROWS, (s, c) => adcRows(s, c).subarray(s >= 30 ? 4 : 0), STAMP, { chunkRows: CHUNK })).rejects.toThrow(
      exactly(`ADC2021 output ${path}: rows 30..37: Particles holds 528 values, expected 532`),
    );
    expect(existsSync(path)).toBe(false);
    const withInf = (s: number, c: number) => {
      const rows = topRows(s, c);
      if (s === 10) rows.truth[2 * 4 + 3] = Infinity;
      return rows;
    };
    await expect(writeTopTaggingHdf5(path, ROWS, withInf, STAMP, { chunkRows: CHUNK })).rejects.toThrow(
      exactly(`Top Tagging output ${path}: row 12, column truthPZ is Infinity`),
    );
    const badLabel = (s: number, c: number) => ({ ...topRows(s, c), labels: new Uint8Array(c).fill(2) });
    await expect(writeTopTaggingHdf5(path, ROWS, badLabel, STAMP, { chunkRows: CHUNK })).rejects.toThrow(
      exactly(`Top Tagging output ${path}: row 0, is_signal_new is 2, expected 0 or 1`),
    );
    expect(existsSync(path)).toBe(false);
  });

  it('refuses empty outputs and bad chunk sizes before creating anything', async () => {
    const path = file('empty.h5');
    await expect(writeTopTaggingHdf5(path, 0, topRows, STAMP)).rejects.toThrow(
      exactly(`Top Tagging output ${path}: the row count must be a positive integer, got 0`),
    );
    await expect(writeAdc(path, { chunkRows: 0 })).rejects.toThrow(exactly(`ADC2021 output ${path}: chunkRows must be a positive integer, got 0`));
    await expect(writeAdc(join(dir, 'no-such-folder', 'x.h5'))).rejects.toThrow(
      new RegExp(`^ADC2021 output ${dir}/no-such-folder/x.h5: cannot create the file \\(.+\\)$`),
    );
    expect(existsSync(path)).toBe(false);
  });
});

// ---- determinism ----

describe('determinism', () => {
  it('the same data gives byte-identical files, whenever it is written', async () => {
    for (const [name, write] of [
      ['top', writeTop],
      ['adc', writeAdc],
    ] as const) {
      const a = file(`${name}-a.h5`);
      const b = file(`${name}-b.h5`);
      await write(a);
      // HDF5 stamps object headers with times of one-second resolution: a second apart, a live clock would show.
      await new Promise((r) => setTimeout(r, 1100));
      await write(b);
      expect(readFileSync(a).equals(readFileSync(b)), name).toBe(true);
    }
  });
});
