// Reader for the Top Quark Tagging Reference Dataset (physics.md §1.1): a pandas HDF5 store under key
// 'table' with 806 columns, in either pandas storage format ("fixed" or format='table').
// Rows are read in slices so that memory stays bounded whatever the file size.
import h5wasm, { Module } from 'h5wasm/node';
import { hdf5ErrorMessage as message, openWithLayout, withHdf5Errors } from './hdf5-file';

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

type Numeric = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** One pandas dtype block: its column names and a reader returning `count × columns.length` values. */
interface Block {
  columns: string[];
  read(start: number, count: number): Numeric;
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

function typedArrayFor(meta: H5Meta, what: string): (buf: ArrayBufferLike, byteOffset: number, length: number) => Numeric {
  if (!meta.littleEndian && meta.size > 1) throw new Error(`${what} is big-endian, which is not supported`);
  if (meta.type === 1 && meta.size === 4) return (b, o, n) => new Float32Array(b, o, n);
  if (meta.type === 1 && meta.size === 8) return (b, o, n) => new Float64Array(b, o, n);
  if (meta.type === 0 && meta.signed) {
    if (meta.size === 8) return (b, o, n) => new BigInt64Array(b, o, n);
    if (meta.size === 4) return (b, o, n) => new Int32Array(b, o, n);
    if (meta.size === 2) return (b, o, n) => new Int16Array(b, o, n);
    if (meta.size === 1) return (b, o, n) => new Int8Array(b, o, n);
  }
  if (meta.type === 0 && !meta.signed && meta.size === 1) return (b, o, n) => new Uint8Array(b, o, n);
  throw new Error(`${what} has an unsupported element type (HDF5 class ${meta.type}, ${meta.size} bytes)`);
}

function toStrings(value: unknown, what: string): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new Error(`${what} is not a list of column names`);
}

/**
 * PyTables stores Python lists in attributes as protocol-0 pickles; pandas keeps the block column names that
 * way. This decodes exactly the shape it writes (a flat list of str) and refuses anything else.
 */
function unpickleStringList(text: string, what: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  const withArg = new Set(['V', 'S', 'p', 'g']);
  let i = 0;
  let started = false;
  for (let li = 0; li < lines.length; li++) {
    let line = lines[li];
    // No-argument opcodes may run together before an opcode that takes the rest of the line.
    while (line.length > 0 && !withArg.has(line[0])) {
      const op = line[0];
      if (op === '(' || op === 'l' || op === 'a') {
        if (op === 'l') started = true;
        line = line.slice(1);
      } else if (op === '.' && started) {
        return out;
      } else {
        throw new Error(`${what}: unexpected pickle opcode '${op}' (expected a list of column names)`);
      }
    }
    if (line.length === 0) continue;
    const op = line[0];
    const arg = line.slice(1);
    if (op === 'V') out.push(arg.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    else if (op === 'S') out.push(arg.replace(/^'(.*)'$/, '$1'));
    i++;
  }
  throw new Error(`${what}: truncated pickle (${i} entries, no end mark)`);
}

function fixedBlocks(file: InstanceType<typeof h5wasm.File>, where: string): { rows: number; blocks: Block[] } {
  const group = file.get('table') as InstanceType<typeof h5wasm.Group>;
  const keys = group.keys();
  const blocks: Block[] = [];
  let rows = -1;
  for (let b = 0; keys.includes(`block${b}_values`); b++) {
    const ds = group.get(`block${b}_values`) as InstanceType<typeof h5wasm.Dataset>;
    const itemsDs = group.get(`block${b}_items`) as InstanceType<typeof h5wasm.Dataset> | null;
    if (!itemsDs) throw new Error(`${where}: table/block${b}_items is missing`);
    const columns = toStrings(itemsDs.value, `${where}: table/block${b}_items`);
    const shape = ds.shape;
    if (!shape || shape.length !== 2 || shape[1] !== columns.length) {
      throw new Error(`${where}: table/block${b}_values has shape ${JSON.stringify(shape)}, expected (N, ${columns.length})`);
    }
    if (rows >= 0 && shape[0] !== rows) throw new Error(`${where}: pandas blocks disagree on the row count`);
    rows = shape[0];
    // Refuse element types the gather below cannot convert before any data is read.
    typedArrayFor(ds.metadata as H5Meta, `${where}: table/block${b}_values`);
    blocks.push({ columns, read: (start, count) => ds.slice([[start, start + count]]) as Numeric });
  }
  if (blocks.length === 0) throw new Error(`${where}: key 'table' has neither pandas 'fixed' blocks nor a 'table' dataset`);
  return { rows, blocks };
}

// h5wasm converts compound rows into JS arrays value by value, which is slow for 806-wide rows; reading the raw
// bytes of a slice once and viewing each member as a typed array is two orders of magnitude faster.
function tableBlocks(file: InstanceType<typeof h5wasm.File>, where: string): { rows: number; blocks: Block[] } {
  const ds = file.get('table/table') as InstanceType<typeof h5wasm.Dataset>;
  const meta = ds.metadata as H5Meta;
  const shape = ds.shape;
  if (meta.type !== 6 || !meta.compound_type || !shape || shape.length !== 1) {
    throw new Error(`${where}: table/table is not a one-dimensional compound dataset as pandas writes it`);
  }
  const rowSize = meta.size;
  const rows = shape[0];
  // Every values_block_* member comes from the same rows: read them once per slice.
  let cache: { start: number; count: number; bytes: Uint8Array } | null = null;
  const rawRows = (start: number, count: number): Uint8Array => {
    if (cache && cache.start === start && cache.count === count) return cache.bytes;
    const nbytes = rowSize * count;
    const ptr = Module._malloc(nbytes);
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
  for (const member of meta.compound_type.members) {
    if (!member.name?.startsWith('values_block_')) continue;
    const columns = unpickleStringList(String(ds.attrs[`${member.name}_kind`]?.value ?? ''), `${where}: ${member.name}_kind`);
    const elem = member.array_type ?? member;
    const width = member.array_type ? member.array_type.total_size : 1;
    if (width !== columns.length) throw new Error(`${where}: ${member.name} holds ${width} values but names ${columns.length} columns`);
    const view = typedArrayFor(elem, `${where}: ${member.name}`);
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
  if (blocks.length === 0) throw new Error(`${where}: table/table has no values_block_* columns`);
  return { rows, blocks };
}

/** Opens a Top Tagging store, checks its layout, and returns a slice reader. Call `await h5wasm.ready` first. */
export function openTopTagging(path: string): TopTagReader {
  const where = `Top Tagging file ${path}`;
  return openWithLayout(path, where, (file) => layoutReader(file, path, where));
}

function layoutReader(file: InstanceType<typeof h5wasm.File>, path: string, where: string): TopTagReader {
  const keys = file.keys();
  if (!keys.includes('table')) {
    throw new Error(`${where}: no pandas key 'table' (keys found: ${keys.length ? keys.join(', ') : 'none'})`);
  }
  const inner = (file.get('table') as InstanceType<typeof h5wasm.Group>).keys();
  const format = inner.includes('table') ? 'table' : 'fixed';
  const { rows, blocks } = format === 'table' ? tableBlocks(file, where) : fixedBlocks(file, where);

  const position = new Map<string, { block: number; col: number }>();
  blocks.forEach((b, block) => b.columns.forEach((name, col) => position.set(name, { block, col })));
  const missing = TOPTAG_COLUMNS.filter((c) => !position.has(c));
  const extra = [...position.keys()].filter((c) => !TOPTAG_COLUMNS.includes(c));
  if (missing.length || extra.length) {
    const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? `, … (${xs.length})` : '');
    throw new Error(
      `${where}: wrong columns for the Top Tagging layout (${position.size} found, ${TOPTAG_COLUMNS.length} expected` +
        (missing.length ? `; missing ${list(missing)}` : '') +
        (extra.length ? `; unexpected ${list(extra)}` : '') +
        ')',
    );
  }
  const locate = (names: readonly string[]) => names.map((n) => position.get(n)!);
  const p4Src = locate(TOPTAG_COLUMNS.slice(0, TOPTAG_CONSTITUENTS * 4));
  const truthSrc = locate(TRUTH_NAMES);
  const [labelSrc, ttvSrc] = locate([LABEL_NAME, TTV_NAME]);

  let open = true;
  return {
    path,
    rows,
    constituents: TOPTAG_CONSTITUENTS,
    format,
    read(start, count) {
      if (!open) throw new Error(`${where}: reader is closed`);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > rows) {
        throw new Error(`${where}: rows ${start}..${start + count} are outside 0..${rows}`);
      }
      let data: Numeric[];
      try {
        data = withHdf5Errors(() => blocks.map((b) => b.read(start, count)));
      } catch (e) {
        throw new Error(`${where}: cannot read rows ${start}..${start + count}, the file is probably truncated or corrupt (${message(e)})`);
      }
      const widths = blocks.map((b) => b.columns.length);
      const floats = (src: { block: number; col: number }[], names: readonly string[]): Float32Array => {
        const n = src.length;
        const out = new Float32Array(count * n);
        const first = src[0];
        const arr0 = data[first.block];
        const contiguous = src.every((p, k) => p.block === first.block && p.col === first.col + k);
        if (contiguous && (arr0 instanceof Float32Array || arr0 instanceof Float64Array)) {
          // The usual layout: the wanted columns are one run inside a float block, so copy whole row runs.
          const w = widths[first.block];
          for (let r = 0; r < count; r++) out.set(arr0.subarray(r * w + first.col, r * w + first.col + n), r * n);
        } else {
          for (let k = 0; k < n; k++) {
            const { block, col } = src[k];
            const arr = data[block];
            const w = widths[block];
            for (let r = 0; r < count; r++) out[r * n + k] = Number(arr[r * w + col]);
          }
        }
        for (let i = 0; i < out.length; i++) {
          if (!Number.isFinite(out[i])) throw new Error(`${where}: row ${start + Math.floor(i / n)}, column ${names[i % n]} is ${out[i]}`);
        }
        return out;
      };
      const p4 = floats(p4Src, TOPTAG_COLUMNS);
      const truth = floats(truthSrc, TRUTH_NAMES);
      const labels = new Uint8Array(count);
      const ttv = new Int32Array(count);
      for (let r = 0; r < count; r++) {
        const label = Number(data[labelSrc.block][r * widths[labelSrc.block] + labelSrc.col]);
        if (label !== 0 && label !== 1) throw new Error(`${where}: row ${start + r}, column ${LABEL_NAME} is ${label}, expected 0 or 1`);
        labels[r] = label;
        const t = Number(data[ttvSrc.block][r * widths[ttvSrc.block] + ttvSrc.col]);
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
