// Writes the Top Quark Tagging Reference Dataset layout (physics.md §1.1) as a pandas "fixed"-format HDFStore
// under key 'table', node for node and attribute for attribute as pandas 1.5 / PyTables 3.7 write
// `df.to_hdf(path, 'table')`, so that `pandas.read_hdf(path, 'table')` and our own reader open it.
// Differences h5wasm forces: the arrays are chunked (so rows can be streamed), string attributes are
// space-padded rather than null-terminated, TITLE attributes are left out (PyTables writes them with a null
// dataspace), and 'transposed' is a uint8 1 (PyTables stores numpy's bool as an HDF5 bitfield).
import h5wasm from 'h5wasm/node';
import { TOPTAG_COLUMNS, TOPTAG_CONSTITUENTS } from '../readers/toptag';
import type { GeneratorStamp } from '../source';
import {
  checkFinite,
  checkLength,
  checkStreaming,
  createBytesDataset,
  createRowDataset,
  hdf5,
  setBytesAttr,
  setIntAttr,
  setPyTablesAttrs,
  setStringAttr,
  streamChunks,
  writeNewHdf5,
  writeRows,
  type H5Dataset,
  type H5Group,
  type StreamOptions,
} from './hdf5-writer';

export interface TopTagRows {
  /** count × 200 × 4, (E, px, py, pz) per constituent. */
  p4: Float32Array;
  /** count × 4, the truth top four-momentum. */
  truth: Float32Array;
  /** 1 top, 0 QCD. */
  labels: Int8Array | Uint8Array;
  ttv: Int32Array | Int8Array;
}

const P4_VALUES = TOPTAG_CONSTITUENTS * 4;
// pandas groups columns by dtype: float32 block (E_0 … PZ_199, truth*) and int64 block (ttv, is_signal_new).
const FLOAT_COLUMNS = TOPTAG_COLUMNS.slice(0, P4_VALUES + 4);
const INT_COLUMNS = TOPTAG_COLUMNS.slice(P4_VALUES + 4);
const TRUTH_COLUMNS = FLOAT_COLUMNS.slice(P4_VALUES);
// pandas' own version stamp for the storage format, unchanged since pandas 0.15.2.
const PANDAS_FORMAT_VERSION = '0.15.2';

interface Layout {
  index: H5Dataset;
  floats: H5Dataset;
  ints: H5Dataset;
}

/**
 * Streams `rows` rows in chunks of `chunkRows` from `read` into a new file at `path` (an existing file is
 * refused), with root attribute GENERATOR_ATTR = JSON of `stamp`. On failure or stop the partial file is
 * removed and the promise rejects.
 */
export async function writeTopTaggingHdf5(
  path: string,
  rows: number,
  read: (start: number, count: number) => TopTagRows | Promise<TopTagRows>,
  stamp: GeneratorStamp,
  opts: StreamOptions = {},
): Promise<void> {
  const where = `Top Tagging output ${path}`;
  checkStreaming(rows, opts, where);
  await h5wasm.ready;
  await writeNewHdf5(path, where, stamp, async (file) => {
    const layout = hdf5(where, 'creating the pandas layout', () => {
      setPyTablesAttrs(file, 'GROUP');
      setStringAttr(file, 'PYTABLES_FORMAT_VERSION', '2.1');
      return createLayout(file.create_group('table'), rows, where);
    });
    await streamChunks(where, rows, opts, read, (start, count, chunk) => writeChunk(layout, start, count, chunk, where));
  });
}

function createLayout(group: H5Group, rows: number, where: string): Layout {
  setPyTablesAttrs(group, 'GROUP');
  for (const [name, value] of [
    ['pandas_type', 'frame'],
    ['pandas_version', PANDAS_FORMAT_VERSION],
    ['encoding', 'UTF-8'],
    ['errors', 'strict'],
    ['axis0_variety', 'regular'],
    ['axis1_variety', 'regular'],
    ['block0_items_variety', 'regular'],
    ['block1_items_variety', 'regular'],
  ]) {
    setStringAttr(group, name, value);
  }
  setIntAttr(group, 'ndim', 2, '<q');
  setIntAttr(group, 'nblocks', 2, '<q');

  const array = (ds: H5Dataset, kind?: 'string' | 'integer'): H5Dataset => {
    setPyTablesAttrs(ds, 'ARRAY');
    // pandas stores block values transposed from its (columns × rows) blocks and transposes them back on read.
    setIntAttr(ds, 'transposed', 1, '|B');
    if (kind) {
      setStringAttr(ds, 'kind', kind);
      setBytesAttr(ds, 'name', 'N.'); // the index name, None, as the pickle PyTables stores
    }
    return ds;
  };
  array(createBytesDataset(group, 'axis0', TOPTAG_COLUMNS, where), 'string');
  const index = array(createRowDataset(group, 'axis1', '<q', rows, []), 'integer');
  array(createBytesDataset(group, 'block0_items', FLOAT_COLUMNS, where), 'string');
  const floats = array(createRowDataset(group, 'block0_values', '<f', rows, [FLOAT_COLUMNS.length]));
  array(createBytesDataset(group, 'block1_items', INT_COLUMNS, where), 'string');
  const ints = array(createRowDataset(group, 'block1_values', '<q', rows, [INT_COLUMNS.length]));
  return { index, floats, ints };
}

function writeChunk(layout: Layout, start: number, count: number, chunk: TopTagRows, where: string): void {
  const { p4, truth, labels, ttv } = chunk;
  checkLength(p4, count * P4_VALUES, 'p4', start, count, where);
  checkLength(truth, count * 4, 'truth', start, count, where);
  checkLength(labels, count, 'labels', start, count, where);
  checkLength(ttv, count, 'ttv', start, count, where);
  checkFinite(p4, start, FLOAT_COLUMNS.slice(0, P4_VALUES), 'column', where);
  checkFinite(truth, start, TRUTH_COLUMNS, 'column', where);

  const width = FLOAT_COLUMNS.length;
  const floats = new Float32Array(count * width);
  const ints = new BigInt64Array(count * 2);
  const index = new BigInt64Array(count);
  for (let r = 0; r < count; r++) {
    floats.set(p4.subarray(r * P4_VALUES, (r + 1) * P4_VALUES), r * width);
    floats.set(truth.subarray(r * 4, (r + 1) * 4), r * width + P4_VALUES);
    if (labels[r] !== 0 && labels[r] !== 1) throw new Error(`${where}: row ${start + r}, is_signal_new is ${labels[r]}, expected 0 or 1`);
    ints[r * 2] = BigInt(ttv[r]);
    ints[r * 2 + 1] = BigInt(labels[r]);
    index[r] = BigInt(start + r);
  }
  writeRows(layout.index, start, count, index, where);
  writeRows(layout.floats, start, count, floats, where);
  writeRows(layout.ints, start, count, ints, where);
}
