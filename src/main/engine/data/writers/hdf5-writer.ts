// What every HDF5 writer of `awb generate` shares: creating a new file (never overwriting one), the generator
// stamp, PyTables-style attributes, datasets preallocated for row streaming, the chunk loop, and removing the
// partial file when anything fails or the user stops.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import h5wasm from 'h5wasm/node';
import { hdf5ErrorMessage, withHdf5Errors } from '../readers/hdf5-file';
import { GENERATOR_ATTR, type GeneratorStamp } from '../source';

export type H5File = InstanceType<typeof h5wasm.File>;
export type H5Group = InstanceType<typeof h5wasm.Group>;
export type H5Dataset = InstanceType<typeof h5wasm.Dataset>;
type H5Object = H5Group | H5Dataset;

/** Element types the writers store, little-endian, in the struct-style codes h5wasm parses ('<i8' would be int32 there). */
export type RowDtype = '<f' | '<q' | '|b';
export type RowArray = Float32Array | BigInt64Array | Int8Array;

export interface StreamOptions {
  /** Rows asked from `read` at a time (default 4096). */
  chunkRows?: number;
  /** Called after every chunk with the number of rows written so far. */
  onProgress?: (done: number) => void;
  /** Checked before every chunk; true stops the writer, which removes the partial file and rejects. */
  shouldStop?: () => boolean;
}

const DEFAULT_CHUNK_ROWS = 4096;
// Aim for ~1 MiB HDF5 chunks: HDF5's default chunk cache holds one, so slices not aligned to chunks stay cheap.
const TARGET_CHUNK_BYTES = 1 << 20;
const DTYPE_BYTES: Record<RowDtype, number> = { '<f': 4, '<q': 8, '|b': 1 };

/**
 * Creates a new HDF5 file at `path` (refusing to replace an existing one), lets `fill` write its content,
 * stamps the root with GENERATOR_ATTR and closes it. If anything fails, the partial file is removed and the
 * error, prefixed with `where`, is rethrown. Call `await h5wasm.ready` first.
 */
export async function writeNewHdf5(path: string, where: string, stamp: GeneratorStamp, fill: (file: H5File) => Promise<void>): Promise<void> {
  const full = resolve(path);
  if (existsSync(full)) throw new Error(`${where}: the file already exists; refusing to overwrite it`);
  let file: H5File;
  try {
    // 'x' (H5F_ACC_EXCL) also refuses a file that appeared since the check above.
    file = withHdf5Errors(() => withFixedClock(() => new h5wasm.File(full, 'x')));
  } catch (e) {
    throw new Error(`${where}: cannot create the file (${hdf5ErrorMessage(e)})`);
  }
  let open = true;
  try {
    await fill(file);
    hdf5(where, 'writing the generator stamp', () => file.create_attribute(GENERATOR_ATTR, JSON.stringify(stamp)));
    open = false;
    hdf5(where, 'closing the file', () => file.close());
  } catch (e) {
    if (open) {
      try {
        withHdf5Errors(() => withFixedClock(() => file.close()));
      } catch {
        // The file is removed below; a failure to close it cleanly changes nothing.
      }
    }
    rmSync(full, { force: true });
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(msg.startsWith(where) ? msg : `${where}: ${msg}`);
  }
}

/**
 * Runs `fn` with the wall clock that HDF5 sees stopped at the epoch. HDF5 stamps every object header with
 * times (emscripten reads them through Date.now) and h5wasm cannot turn that off; a fixed clock makes the
 * same data give the same bytes, so a generated file's SHA-256 identifies its content.
 */
function withFixedClock<T>(fn: () => T): T {
  const now = Date.now;
  Date.now = () => 0;
  try {
    return fn();
  } finally {
    Date.now = now;
  }
}

/** Runs synchronous h5wasm calls with HDF5 failures as exceptions that say what was being done. */
export function hdf5<T>(where: string, doing: string, fn: () => T): T {
  try {
    return withHdf5Errors(() => withFixedClock(fn));
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(where)) throw e;
    throw new Error(`${where}: HDF5 failed while ${doing} (${hdf5ErrorMessage(e)})`);
  }
}

/** A scalar fixed-length UTF-8 string attribute, the type PyTables gives Python str attributes. */
export function setStringAttr(obj: H5Object, name: string, value: string): void {
  obj.create_attribute(name, value, [], `S${Math.max(1, Buffer.byteLength(value))}`);
}

/** A scalar fixed-length ASCII byte string (numpy `bytes`), e.g. a PyTables pickle such as 'N.' (None). */
export function setBytesAttr(obj: H5Object, name: string, value: string): void {
  obj.create_attribute(name, value, [], `A${Math.max(1, value.length)}`);
}

/** A scalar integer attribute: int64 ('<q') or uint8 ('|B'). */
export function setIntAttr(obj: H5Object, name: string, value: number, dtype: '<q' | '|B'): void {
  obj.create_attribute(name, [value], [], dtype);
}

/** The attributes PyTables puts on every node it writes, so PyTables tools classify ours the same way. */
export function setPyTablesAttrs(obj: H5Object, cls: 'GROUP' | 'ARRAY'): void {
  setStringAttr(obj, 'CLASS', cls);
  setStringAttr(obj, 'VERSION', cls === 'GROUP' ? '1.0' : '2.4');
  if (cls === 'ARRAY') setStringAttr(obj, 'FLAVOR', 'numpy');
}

/**
 * A 1-D dataset of fixed-length ASCII strings as numpy `|S n` (n = the longest value), written in one go.
 * h5wasm can only make such strings NULLTERM (h5py writes NULLPAD); both read back as the same bytes.
 */
export function createBytesDataset(group: H5Group, name: string, values: readonly string[], where: string): H5Dataset {
  const bad = values.find((v) => !/^[\x20-\x7e]*$/.test(v));
  if (bad !== undefined) throw new Error(`${where}: '${bad}' is not printable ASCII, which '${name}' must hold`);
  const size = Math.max(1, ...values.map((v) => v.length));
  return group.create_dataset({ name, data: [...values], shape: [values.length], dtype: `A${size}` });
}

/**
 * A dataset of `rows` rows of shape `rowShape`, chunked so that rows can be streamed in with
 * `write_slice`: h5wasm needs every value at creation for a contiguous dataset, so it starts empty and is
 * extended to its final, fixed size at once.
 */
export function createRowDataset(group: H5Group, name: string, dtype: RowDtype, rows: number, rowShape: readonly number[]): H5Dataset {
  const rowValues = rowShape.reduce((a, b) => a * b, 1);
  const chunkRows = Math.max(1, Math.min(rows, Math.floor(TARGET_CHUNK_BYTES / (rowValues * DTYPE_BYTES[dtype]))));
  const ds = group.create_dataset({
    name,
    data: new (arrayType(dtype))(0),
    shape: [0, ...rowShape],
    maxshape: [rows, ...rowShape],
    chunks: [chunkRows, ...rowShape],
    dtype,
  });
  ds.resize([rows, ...rowShape]);
  return ds;
}

function arrayType(dtype: RowDtype): Float32ArrayConstructor | BigInt64ArrayConstructor | Int8ArrayConstructor {
  return dtype === '<f' ? Float32Array : dtype === '<q' ? BigInt64Array : Int8Array;
}

/** Writes rows start … start+count−1 of a dataset made by createRowDataset. */
export function writeRows(ds: H5Dataset, start: number, count: number, data: RowArray, where: string): void {
  hdf5(where, `writing rows ${start}..${start + count} of ${ds.path}`, () => ds.write_slice([[start, start + count]], data));
}

/**
 * Asks `read` for rows in chunks of `chunkRows` and hands each to `write`, checking `shouldStop` before
 * every chunk and reporting progress after it. Only one chunk is held at a time.
 */
export async function streamChunks<T>(
  where: string,
  rows: number,
  opts: StreamOptions,
  read: (start: number, count: number) => T | Promise<T>,
  write: (start: number, count: number, chunk: T) => void,
): Promise<void> {
  const chunkRows = opts.chunkRows ?? DEFAULT_CHUNK_ROWS;
  for (let start = 0; start < rows; start += chunkRows) {
    if (opts.shouldStop?.()) throw new Error(`${where}: stopped after ${start} of ${rows} rows; the partial file was removed`);
    const count = Math.min(chunkRows, rows - start);
    write(start, count, await read(start, count));
    opts.onProgress?.(start + count);
  }
}

/** Refuses a row count the writers cannot store (the readers refuse empty files). */
export function checkRowCount(rows: number, where: string): void {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`${where}: the row count must be a positive integer, got ${rows}`);
}

/** Refuses bad streaming arguments before any file is created. */
export function checkStreaming(rows: number, opts: StreamOptions, where: string): void {
  checkRowCount(rows, where);
  const { chunkRows } = opts;
  if (chunkRows !== undefined && (!Number.isSafeInteger(chunkRows) || chunkRows < 1)) {
    throw new Error(`${where}: chunkRows must be a positive integer, got ${chunkRows}`);
  }
}

/** Refuses an array from a generator whose length is not `expected`, naming it and the rows it was for. */
export function checkLength(values: ArrayLike<unknown>, expected: number, what: string, start: number, count: number, where: string): void {
  if (values.length !== expected) {
    throw new Error(`${where}: rows ${start}..${start + count}: ${what} holds ${values.length} values, expected ${expected}`);
  }
}

/** Refuses NaN and ±Infinity, which every reader of these files rejects, naming the row and the column. */
export function checkFinite(values: Float32Array, start: number, columns: readonly string[], what: string, where: string): void {
  const width = columns.length;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`${where}: row ${start + Math.floor(i / width)}, ${what} ${columns[i % width]} is ${values[i]}`);
    }
  }
}
