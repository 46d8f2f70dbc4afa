// Reading pandas HDFStore frames (written by `DataFrame.to_hdf` through PyTables) in row slices with h5wasm,
// in both storage formats: "fixed" (one 2-d dataset per dtype block) and format='table' (one compound dataset).
// Used by the Top Tagging, LHC Olympics and generic HDF5 readers. Call `await h5wasm.ready` first.
import h5wasm, { Module } from 'h5wasm/node';
import { hdf5ErrorMessage, withHdf5Errors, type Hdf5File } from './hdf5-file';

type Dataset = InstanceType<typeof h5wasm.Dataset>;
type Group = InstanceType<typeof h5wasm.Group>;
type Numeric =
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

export interface PandasFrame {
  readonly key: string;
  readonly format: 'fixed' | 'table';
  readonly rows: number;
  /** The numeric columns (floats, integers, booleans), in the DataFrame's column order; integer names as decimal text. */
  readonly columns: readonly string[];
  /** Columns that are not numbers (strings, Python objects, datetimes): listed, never read. */
  readonly skipped: readonly string[];
  /**
   * Rows start … start+count−1 of `names`, row-major count × names.length. float32 is what sources store;
   * float64 keeps integer columns (labels, flags) exact. Rejects NaN/Inf naming the row and the column.
   * Consecutive calls for the same rows read the file once.
   */
  read(start: number, count: number, names: readonly string[], as?: 'float32'): Float32Array;
  read(start: number, count: number, names: readonly string[], as: 'float64'): Float64Array;
}

interface H5Meta {
  type: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
  shape: number[] | null;
  name?: string;
  offset?: number;
  array_type?: H5Meta & { total_size: number };
  compound_type?: { members: H5Meta[] };
}

/** One pandas dtype block: its column names and a reader returning `count × columns.length` values. */
interface Block {
  columns: string[];
  read(start: number, count: number): Numeric;
}

const HDF5_INTEGER = 0;
const HDF5_FLOAT = 1;
const HDF5_BITFIELD = 4; // PyTables' bool

function isNumeric(meta: H5Meta): boolean {
  return meta.type === HDF5_INTEGER || meta.type === HDF5_FLOAT || (meta.type === HDF5_BITFIELD && meta.size === 1);
}

type View = (buf: ArrayBufferLike, byteOffset: number, length: number) => Numeric;
const SIGNED: Record<number, View> = {
  1: (b, o, n) => new Int8Array(b, o, n),
  2: (b, o, n) => new Int16Array(b, o, n),
  4: (b, o, n) => new Int32Array(b, o, n),
  8: (b, o, n) => new BigInt64Array(b, o, n),
};
const UNSIGNED: Record<number, View> = {
  1: (b, o, n) => new Uint8Array(b, o, n),
  2: (b, o, n) => new Uint16Array(b, o, n),
  4: (b, o, n) => new Uint32Array(b, o, n),
  8: (b, o, n) => new BigUint64Array(b, o, n),
};

function typedArrayFor(meta: H5Meta, what: string): View {
  if (!meta.littleEndian && meta.size > 1) throw new Error(`${what} is big-endian, which is not supported`);
  if (meta.type === HDF5_FLOAT && meta.size === 4) return (b, o, n) => new Float32Array(b, o, n);
  if (meta.type === HDF5_FLOAT && meta.size === 8) return (b, o, n) => new Float64Array(b, o, n);
  if (meta.type === HDF5_INTEGER) {
    const view = (meta.signed ? SIGNED : UNSIGNED)[meta.size];
    if (view) return view;
  }
  if (meta.type === HDF5_BITFIELD && meta.size === 1) return (b, o, n) => new Uint8Array(b, o, n);
  throw new Error(`${what} has an unsupported element type (HDF5 class ${meta.type}, ${meta.size} bytes)`);
}

// ---------------------------------------------------------------------------------------------------------
// PyTables keeps Python objects in attributes (pandas' column lists among them) as protocol-0 pickles. This
// evaluates the few opcodes that lists, tuples, dicts, strings and numbers use, and refuses anything else.

type Pickled = string | number | null | Pickled[] | Map<Pickled, Pickled>;
const MARK = Symbol('mark');

function unpickle(text: string, what: string): Pickled {
  const stack: (Pickled | typeof MARK)[] = [];
  const memo = new Map<string, Pickled>();
  const fail = (why: string): never => {
    throw new Error(`${what}: ${why}`);
  };
  const popToMark = (): Pickled[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('pickle without a mark');
    return stack.splice(at).slice(1) as Pickled[];
  };
  const top = (): Pickled => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail('pickle stack underflow');
    return v as Pickled;
  };
  let i = 0;
  while (i < text.length) {
    const op = text[i++];
    if ('IFLVSpg'.includes(op)) {
      const end = text.indexOf('\n', i);
      if (end < 0) fail(`truncated pickle (opcode '${op}' without its line)`);
      const arg = text.slice(i, end);
      i = end + 1;
      if (op === 'I') stack.push(arg === '00' ? 0 : arg === '01' ? 1 : Number(arg));
      else if (op === 'L') stack.push(Number(arg.replace(/L$/, '')));
      else if (op === 'F') stack.push(Number(arg));
      else if (op === 'V') stack.push(unescapeUnicode(arg));
      else if (op === 'S') stack.push(unescapeRepr(arg));
      else if (op === 'p') memo.set(arg, top());
      else if (!memo.has(arg)) fail(`pickle refers to unknown memo ${arg}`);
      else stack.push(memo.get(arg)!);
    } else if (op === '(') stack.push(MARK);
    else if (op === 'N') stack.push(null);
    else if (op === 'l' || op === 't') stack.push(popToMark());
    else if (op === 'd') {
      const items = popToMark();
      const map = new Map<Pickled, Pickled>();
      for (let k = 0; k + 1 < items.length; k += 2) map.set(items[k], items[k + 1]);
      stack.push(map);
    } else if (op === 'a') {
      const v = stack.pop() as Pickled;
      const list = top();
      if (!Array.isArray(list)) fail('pickle appends to something that is not a list');
      (list as Pickled[]).push(v);
    } else if (op === 's') {
      const v = stack.pop() as Pickled;
      const k = stack.pop() as Pickled;
      const map = top();
      if (!(map instanceof Map)) fail('pickle sets an item on something that is not a dict');
      (map as Map<Pickled, Pickled>).set(k, v);
    } else if (op === '.') {
      if (stack.length !== 1) fail('malformed pickle');
      return top();
    } else if (op !== '\n') fail(`unexpected pickle opcode '${op}'`);
  }
  return fail('truncated pickle (no end mark)');
}

function unescapeUnicode(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, h4?: string, h8?: string) =>
    String.fromCodePoint(parseInt(h4 ?? h8 ?? '0', 16)),
  );
}

function unescapeRepr(s: string): string {
  const body = /^'(.*)'$|^"(.*)"$/.exec(s);
  const inner = body ? (body[1] ?? body[2]) : s;
  return inner.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) =>
    e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e,
  );
}

/** Column names as pandas stores them: text, or numbers for integer names (which we spell in decimal). */
function columnNames(value: unknown, what: string): string[] {
  const list = ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number | bigint>) : value;
  if (!Array.isArray(list)) throw new Error(`${what} is not a list of column names`);
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
    throw new Error(`${what} holds a column name that is neither text nor a number (${JSON.stringify(v)})`);
  });
}

// ---------------------------------------------------------------------------------------------------------

/** The top-level pandas objects of a store (groups carrying pandas' `pandas_type` attribute). */
export function pandasKeys(file: Hdf5File): string[] {
  return file.keys().filter((k) => {
    const g = file.get(k);
    return g instanceof h5wasm.Group && 'pandas_type' in g.attrs;
  });
}

/** HDF5 filters h5wasm decodes without plugins: deflate (zlib), shuffle, fletcher32, n-bit, scale-offset. */
const BUILT_IN_FILTERS = new Set([1, 2, 3, 5, 6]);

/**
 * Refuses a dataset compressed with a filter this build cannot decode (blosc, lz4, zstd, bitshuffle: PyTables'
 * favourites), before a read would fail with the HDF5 plugin loader's unhelpful message.
 */
export function checkDecodable(ds: Dataset, where: string): void {
  const unknown = ds.filters.filter((f) => !BUILT_IN_FILTERS.has(f.id));
  if (unknown.length === 0 || !ds.shape || ds.shape.some((n) => n === 0)) return;
  try {
    withHdf5Errors(() => ds.slice(ds.shape!.map(() => [0, 1] as [number, number])));
  } catch {
    const f = unknown[0];
    throw new Error(
      `${where}: dataset '${ds.path}' is compressed with the HDF5 filter '${f.name || 'unnamed'}' (id ${f.id}), which this reader ` +
        `cannot decode; re-save it with zlib compression, e.g. in Python with pandas: ` +
        `pandas.read_hdf(path, key).to_hdf(new_path, key=key, complib='zlib', complevel=5), or with h5py: compression='gzip'`,
    );
  }
}

/** Opens the pandas DataFrame stored under `key`; errors start with `where` (e.g. "LHCO file /x.h5"). */
export function openPandasFrame(file: Hdf5File, key: string, where: string): PandasFrame {
  const group = file.get(key);
  if (!(group instanceof h5wasm.Group) || !('pandas_type' in group.attrs)) {
    const keys = pandasKeys(file);
    throw new Error(`${where}: no pandas key '${key}' (keys found: ${keys.length ? keys.join(', ') : 'none'})`);
  }
  const type = String(group.attrs['pandas_type'].value);
  if (type !== 'frame' && type !== 'frame_table') {
    throw new Error(`${where}: pandas key '${key}' holds a '${type}', not a DataFrame`);
  }
  for (const name of group.keys()) {
    const ds = group.get(name);
    if (ds instanceof h5wasm.Dataset) checkDecodable(ds, where);
  }
  const format = type === 'frame_table' ? 'table' : 'fixed';
  const layout = format === 'table' ? tableBlocks(group, key, where) : fixedBlocks(group, key, where);
  return frameReader(key, format, layout, where);
}

interface Layout {
  rows: number;
  blocks: Block[];
  /** The DataFrame's column order (numeric or not). */
  order: string[];
  skipped: string[];
}

function fixedBlocks(group: Group, key: string, where: string): Layout {
  const keys = group.keys();
  const axis0 = group.get('axis0');
  if (!(axis0 instanceof h5wasm.Dataset)) throw new Error(`${where}: ${key}/axis0 (the column names) is missing`);
  const order = columnNames(axis0.value, `${where}: ${key}/axis0`);
  const blocks: Block[] = [];
  const skipped: string[] = [];
  let rows = -1;
  for (let b = 0; keys.includes(`block${b}_values`); b++) {
    const ds = group.get(`block${b}_values`) as Dataset;
    const itemsDs = group.get(`block${b}_items`);
    if (!(itemsDs instanceof h5wasm.Dataset)) throw new Error(`${where}: ${key}/block${b}_items is missing`);
    const columns = columnNames(itemsDs.value, `${where}: ${key}/block${b}_items`);
    const meta = ds.metadata as H5Meta;
    const valueType = ds.attrs['value_type']?.value;
    if (!isNumeric(meta) || (valueType !== undefined && /date|time/.test(String(valueType)))) {
      skipped.push(...columns);
      continue;
    }
    // Refuse element types the gather cannot convert before any data is read.
    const view = typedArrayFor(meta, `${where}: ${key}/block${b}_values`);
    const blockRows = storedLength(ds);
    if (blockRows > 0 && (ds.shape?.length !== 2 || ds.shape[1] !== columns.length)) {
      throw new Error(`${where}: ${key}/block${b}_values has shape ${JSON.stringify(ds.shape)}, expected (N, ${columns.length})`);
    }
    if (rows >= 0 && blockRows !== rows) throw new Error(`${where}: pandas blocks of '${key}' disagree on the row count`);
    rows = blockRows;
    blocks.push({
      columns,
      read: (start, count) => (count === 0 ? view(new ArrayBuffer(0), 0, 0) : (ds.slice([[start, start + count]]) as Numeric)),
    });
  }
  if (rows < 0) {
    const axis1 = group.get('axis1');
    rows = axis1 instanceof h5wasm.Dataset ? storedLength(axis1) : 0;
  }
  return { rows, blocks, order, skipped };
}

// pandas cannot store an empty array, so it writes a one-element stand-in array with the real shape in a 'shape' attribute.
function storedLength(ds: Dataset): number {
  return 'shape' in ds.attrs ? 0 : (ds.shape?.[0] ?? 0);
}

// h5wasm converts compound rows into JS arrays value by value, which is slow for rows thousands of values wide;
// reading the raw bytes of a slice once and viewing each member as a typed array is two orders of magnitude faster.
function tableBlocks(group: Group, key: string, where: string): Layout {
  const ds = group.get('table');
  if (!(ds instanceof h5wasm.Dataset)) throw new Error(`${where}: ${key}/table is missing`);
  const meta = ds.metadata as H5Meta;
  const shape = ds.shape;
  if (meta.type !== 6 || !meta.compound_type || !shape || shape.length !== 1) {
    throw new Error(`${where}: ${key}/table is not a one-dimensional compound dataset as pandas writes it`);
  }
  const rowSize = meta.size;
  const rows = shape[0];
  // Every member comes from the same rows: read them once per slice.
  let cache: { start: number; count: number; bytes: Uint8Array } | null = null;
  const rawRows = (start: number, count: number): Uint8Array => {
    if (cache && cache.start === start && cache.count === count) return cache.bytes;
    const nbytes = rowSize * count;
    const ptr = Module._malloc(Math.max(nbytes, 1));
    if (ptr === 0) throw new Error(`${where}: cannot allocate ${nbytes} bytes of wasm memory for ${count} rows`);
    try {
      Module.get_dataset_data(ds.file_id, ds.path, [BigInt(count)], [BigInt(start)], [1n], BigInt(ptr));
      cache = { start, count, bytes: Module.HEAPU8.slice(ptr, ptr + nbytes) };
      return cache.bytes;
    } finally {
      Module._free(ptr);
    }
  };
  const blocks: Block[] = [];
  const skipped: string[] = [];
  for (const member of meta.compound_type.members) {
    const name = member.name ?? '';
    const kind = ds.attrs[`${name}_kind`];
    if (name === 'index' || !kind) continue;
    const columns = columnNames(unpickle(String(kind.value), `${where}: ${key}/table ${name}_kind`), `${where}: ${key}/table ${name}_kind`);
    const elem = member.array_type ?? member;
    const dtype = String(ds.attrs[`${name}_dtype`]?.value ?? '');
    if (!isNumeric(elem) || /date|time/.test(dtype)) {
      skipped.push(...columns);
      continue;
    }
    const width = member.array_type ? member.array_type.total_size : 1;
    if (width !== columns.length) throw new Error(`${where}: ${key}/table ${name} holds ${width} values but names ${columns.length} columns`);
    const view = typedArrayFor(elem, `${where}: ${key}/table ${name}`);
    const offset = member.offset ?? 0;
    blocks.push({
      columns,
      read: (start, count) => {
        const bytes = rawRows(start, count);
        const buffer = bytes.buffer as ArrayBuffer;
        const out = view(new ArrayBuffer(count * width * elem.size), 0, count * width);
        // Member offsets inside a packed row need not be aligned for the element type; copy those rows first.
        const aligned = offset % elem.size === 0 && rowSize % elem.size === 0;
        for (let r = 0; r < count; r++) {
          const at = r * rowSize + offset;
          const src = aligned ? view(buffer, at, width) : view(buffer.slice(at, at + width * elem.size), 0, width);
          out.set(src as never, r * width);
        }
        return out;
      },
    });
  }
  const axes = group.attrs['non_index_axes'];
  const inBlocks = [...blocks.flatMap((b) => b.columns), ...skipped];
  const order = axes ? columnOrder(unpickle(String(axes.value), `${where}: ${key} non_index_axes`), inBlocks) : inBlocks;
  return { rows, blocks, order, skipped };
}

// non_index_axes is [(1, [column names…])]: the DataFrame's column order, which the blocks do not keep.
function columnOrder(axes: Pickled, fallback: string[]): string[] {
  const first = Array.isArray(axes) ? axes[0] : null;
  const names = Array.isArray(first) ? first[1] : null;
  return Array.isArray(names) ? columnNames(names, 'non_index_axes') : fallback;
}

interface Plan {
  sources: { block: number; col: number }[];
  /** Set when the names are one run of consecutive columns of a float block, which is copied row by row. */
  run: { block: number; col: number } | null;
}

function frameReader(key: string, format: 'fixed' | 'table', layout: Layout, where: string): PandasFrame {
  const { rows, blocks, order, skipped } = layout;
  const position = new Map<string, { block: number; col: number }>();
  blocks.forEach((b, block) =>
    b.columns.forEach((name, col) => {
      if (position.has(name)) throw new Error(`${where}: pandas key '${key}' has the column '${name}' twice`);
      position.set(name, { block, col });
    }),
  );
  const columns = order.filter((c) => position.has(c));
  if (columns.length !== position.size) throw new Error(`${where}: pandas key '${key}': block columns do not match the column index`);
  const widths = blocks.map((b) => b.columns.length);
  const plans = new WeakMap<readonly string[], Plan>();
  const plan = (names: readonly string[]): Plan => {
    let p = plans.get(names);
    if (!p) {
      const sources = names.map((n) => {
        const at = position.get(n);
        if (!at) {
          const why = skipped.includes(n) ? 'is not numeric' : 'does not exist';
          throw new Error(`${where}: column '${n}' of pandas key '${key}' ${why}`);
        }
        return at;
      });
      const first = sources[0];
      const run = first && sources.every((s, k) => s.block === first.block && s.col === first.col + k) ? first : null;
      p = { sources, run };
      plans.set(names, p);
    }
    return p;
  };
  let cache: { start: number; count: number; data: (Numeric | undefined)[] } = { start: -1, count: -1, data: [] };
  const blockData = (block: number, start: number, count: number): Numeric => {
    if (cache.start !== start || cache.count !== count) cache = { start, count, data: [] };
    let data = cache.data[block];
    if (!data) {
      try {
        data = withHdf5Errors(() => blocks[block].read(start, count));
      } catch (e) {
        throw new Error(
          `${where}: cannot read rows ${start}..${start + count}, the file is probably truncated or corrupt (${hdf5ErrorMessage(e)})`,
        );
      }
      cache.data[block] = data;
    }
    return data;
  };
  function read(start: number, count: number, names: readonly string[], as: 'float32' | 'float64' = 'float32'): Float32Array & Float64Array {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows) {
      throw new Error(`${where}: rows ${start}..${start + count} are outside 0..${rows}`);
    }
    const { sources, run } = plan(names);
    const n = sources.length;
    const out = as === 'float64' ? new Float64Array(count * n) : new Float32Array(count * n);
    const runData = run && count > 0 ? blockData(run.block, start, count) : null;
    if (run && (runData instanceof Float32Array || runData instanceof Float64Array)) {
      // The usual layout: the wanted columns are one run inside a float block, so copy whole row runs.
      const w = widths[run.block];
      for (let r = 0; r < count; r++) out.set(runData.subarray(r * w + run.col, r * w + run.col + n), r * n);
    } else if (count > 0) {
      for (let k = 0; k < n; k++) {
        const { block, col } = sources[k];
        const arr = blockData(block, start, count);
        const w = widths[block];
        for (let r = 0; r < count; r++) out[r * n + k] = Number(arr[r * w + col]);
      }
    }
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) throw new Error(`${where}: row ${start + Math.floor(i / n)}, column ${names[i % n]} is ${out[i]}`);
    }
    return out as Float32Array & Float64Array;
  }
  return { key, format, rows, columns, skipped, read };
}
