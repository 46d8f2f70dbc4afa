// Reader for the Top Quark Tagging Reference Dataset (physics.md §1.1): a pandas HDF5 store under key
// 'table' with 806 columns, in either pandas storage format ("fixed" or format='table'; pandas-store.ts).
// Rows are read in slices so that memory stays bounded whatever the file size.
import h5wasm from 'h5wasm/node';
import type { DatasetSource, ImportOptions } from '../source';
import { openWithLayout, readGeneratorStamp, type Hdf5File } from './hdf5-file';
import { openPandasFrame } from './pandas-store';

export const TOPTAG_CONSTITUENTS = 200;
const P4_NAMES = ['E', 'PX', 'PY', 'PZ'] as const;
const TRUTH_NAMES = ['truthE', 'truthPX', 'truthPY', 'truthPZ'] as const;
const LABEL_NAME = 'is_signal_new';
const TTV_NAME = 'ttv';

/** The 806 column names of the store, in the order the dataset documents them. */
export const TOPTAG_COLUMNS: readonly string[] = [
  ...Array.from({ length: TOPTAG_CONSTITUENTS }, (_, i) => P4_NAMES.map((c) => `${c}_${i}`)).flat(),
  ...TRUTH_NAMES,
  TTV_NAME,
  LABEL_NAME,
];
const P4_COLUMNS = TOPTAG_COLUMNS.slice(0, TOPTAG_CONSTITUENTS * 4);
const INT_COLUMNS = [LABEL_NAME, TTV_NAME] as const;
const DEFAULT_KEY = 'table';
const LABEL_NAMES = { '0': 'qcd', '1': 'top' };

export interface TopTagSlice {
  /** count × 200 × 4, (E, px, py, pz) per constituent, hardest first, zero-padded. */
  p4: Float32Array;
  /** 0 background (QCD), 1 signal (top), from `is_signal_new`. */
  labels: Uint8Array;
  /** count × 4, (E, px, py, pz) of the truth top. */
  truth: Float32Array;
  ttv: Int32Array;
}

export interface TopTagReader {
  readonly path: string;
  readonly rows: number;
  readonly constituents: typeof TOPTAG_CONSTITUENTS;
  readonly format: 'fixed' | 'table';
  read(start: number, count: number): TopTagSlice;
  close(): void;
}

/** Opens a Top Tagging store, checks its layout, and returns a slice reader. Call `await h5wasm.ready` first. */
export function openTopTagging(path: string, key = DEFAULT_KEY): TopTagReader {
  const where = `Top Tagging file ${path}`;
  return openWithLayout(path, where, (file) => layoutReader(file, path, key, where));
}

/**
 * The store as a DatasetSource of kind 'jets' (p4 [200, 4], labels, truth [4]); `opts.key` names another pandas
 * key than 'table'. Files written by `awb generate` in this layout carry a stamp whose label names win.
 */
export async function openTopTaggingSource(path: string, opts: ImportOptions): Promise<DatasetSource> {
  await h5wasm.ready;
  const where = `Top Tagging file ${path}`;
  const key = opts.key ?? DEFAULT_KEY;
  const { reader, stamp } = openWithLayout(path, where, (file) => ({
    reader: layoutReader(file, path, key, where),
    stamp: readGeneratorStamp(file, where),
  }));
  return {
    path,
    format: 'toptag',
    kind: 'jets',
    rows: reader.rows,
    arrays: [
      { name: 'p4', dtype: 'float32', rowShape: [TOPTAG_CONSTITUENTS, 4] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
      { name: 'truth', dtype: 'float32', rowShape: [4] },
    ],
    labelNames: stamp?.labelNames ?? LABEL_NAMES,
    meta: { pandasFormat: reader.format, key, ...(stamp ? { generator: stamp } : {}) },
    read: async (start, count) => {
      const s = reader.read(start, count);
      return { p4: s.p4, labels: new Int8Array(s.labels.buffer, s.labels.byteOffset, s.labels.length), truth: s.truth };
    },
    close: () => reader.close(),
  };
}

function layoutReader(file: Hdf5File, path: string, key: string, where: string): TopTagReader {
  const frame = openPandasFrame(file, key, where);
  const found = [...frame.columns, ...frame.skipped];
  const numeric = new Set(frame.columns);
  const expected = new Set(TOPTAG_COLUMNS);
  const missing = TOPTAG_COLUMNS.filter((c) => !numeric.has(c));
  const extra = found.filter((c) => !expected.has(c));
  if (missing.length || extra.length) {
    const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? `, … (${xs.length})` : '');
    throw new Error(
      `${where}: wrong columns for the Top Tagging layout (${found.length} found, ${TOPTAG_COLUMNS.length} expected` +
        (missing.length ? `; missing ${list(missing)}` : '') +
        (extra.length ? `; unexpected ${list(extra)}` : '') +
        ')',
    );
  }
  const rows = frame.rows;
  let open = true;
  return {
    path,
    rows,
    constituents: TOPTAG_CONSTITUENTS,
    format: frame.format,
    read(start, count) {
      if (!open) throw new Error(`${where}: reader is closed`);
      const p4 = frame.read(start, count, P4_COLUMNS);
      const truth = frame.read(start, count, TRUTH_NAMES);
      const ints = frame.read(start, count, INT_COLUMNS, 'float64');
      const labels = new Uint8Array(count);
      const ttv = new Int32Array(count);
      for (let r = 0; r < count; r++) {
        const label = ints[2 * r];
        if (label !== 0 && label !== 1) throw new Error(`${where}: row ${start + r}, column ${LABEL_NAME} is ${label}, expected 0 or 1`);
        labels[r] = label;
        const t = ints[2 * r + 1];
        if (!Number.isInteger(t)) throw new Error(`${where}: row ${start + r}, column ${TTV_NAME} is ${t}, expected an integer`);
        ttv[r] = t;
      }
      return { p4, labels, truth, ttv };
    },
    close() {
      if (open) file.close();
      open = false;
    },
  };
}
