// NumPy .npy reader and writer (format spec: numpy.lib.format, versions 1.0, 2.0 and 3.0), little-endian and
// C-order only, for the numeric dtypes that data sets and exported scores actually use.
import { readFile, writeFile, type FileHandle } from 'node:fs/promises';

/** Supported dtype descriptors, exactly as NumPy writes them in the header. */
export type NpyDtype = '<f4' | '<f8' | '|i1' | '<i2' | '<i4' | '<i8' | '|u1' | '<u2' | '<u4' | '|b1';

/**
 * An n-d array in C (row-major) order. `<i8` is read as BigInt64Array so that every int64 value is exact
 * (a Float64Array would silently round beyond 2^53); `|b1` is a Uint8Array of 0/1.
 */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

const DTYPES: Record<NpyDtype, { bytes: number; make: (buf: ArrayBuffer) => NpyArray['data'] }> = {
  '<f4': { bytes: 4, make: (b) => new Float32Array(b) },
  '<f8': { bytes: 8, make: (b) => new Float64Array(b) },
  '|i1': { bytes: 1, make: (b) => new Int8Array(b) },
  '<i2': { bytes: 2, make: (b) => new Int16Array(b) },
  '<i4': { bytes: 4, make: (b) => new Int32Array(b) },
  '<i8': { bytes: 8, make: (b) => new BigInt64Array(b) },
  '|u1': { bytes: 1, make: (b) => new Uint8Array(b) },
  '<u2': { bytes: 2, make: (b) => new Uint16Array(b) },
  '<u4': { bytes: 4, make: (b) => new Uint32Array(b) },
  '|b1': { bytes: 1, make: (b) => new Uint8Array(b) },
};

// Typed arrays assume the host's byte order; every machine this app runs on (x86-64, arm64) is little-endian.
function isDtype(d: string): d is NpyDtype {
  return Object.prototype.hasOwnProperty.call(DTYPES, d);
}

function fail(name: string, problem: string): never {
  throw new Error(`${name}: ${problem}`);
}

/** Parses the Python-literal header dict, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }. */
function parseHeader(header: string, name: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  if (!descr) {
    if (/'descr'\s*:\s*\[/.test(header)) fail(name, 'structured (record) dtypes are not supported');
    fail(name, `.npy header has no 'descr': ${header.trim()}`);
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  if (!fortran) fail(name, `.npy header has no 'fortran_order': ${header.trim()}`);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shape) fail(name, `.npy header has no 'shape': ${header.trim()}`);
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      if (!/^\d+L?$/.test(s)) fail(name, `.npy header has a bad shape entry '${s}'`);
      return Number.parseInt(s, 10);
    });
  return { descr: descr[1], fortran: fortran[1] === 'True', shape: dims };
}

/** Where a .npy file's data starts, and what it holds, from its first bytes (at least the whole header). */
export interface NpyLayout {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the first element. */
  dataOffset: number;
  /** Bytes of data the shape calls for. */
  dataBytes: number;
}

/**
 * Parses the magic, version and header at the start of `bytes` (a whole file, or just its beginning);
 * `name` (usually the path) is used in error messages. Returns null when `bytes` ends inside the header.
 */
export function parseNpyLayout(bytes: Uint8Array, name: string): NpyLayout | null {
  if (bytes.length < MAGIC.length || MAGIC.some((m, i) => bytes[i] !== m)) fail(name, 'not a .npy file (bad magic string)');
  if (bytes.length < 10) return null;
  const major = bytes[6];
  const minor = bytes[7];
  let headerLen: number;
  let start: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) return null;
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    fail(name, `unsupported .npy format version ${major}.${minor}`);
  }
  if (start + headerLen > bytes.length) return null;
  // Version 3.0 only differs from 2.0 by allowing UTF-8 in the header (field names of structured dtypes).
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const { descr, fortran, shape } = parseHeader(header, name);
  if (descr.startsWith('>')) fail(name, `big-endian dtype '${descr}' is not supported; save with a little-endian dtype`);
  if (!isDtype(descr)) fail(name, `unsupported dtype '${descr}' (supported: ${Object.keys(DTYPES).join(', ')})`);
  if (fortran) fail(name, "Fortran-order arrays are not supported; save with np.ascontiguousarray(...) first");
  const count = shape.reduce((a, b) => a * b, 1);
  return { dtype: descr, shape, dataOffset: start + headerLen, dataBytes: count * DTYPES[descr].bytes };
}

/** Bytes per element of a supported dtype. */
export function npyItemSize(dtype: NpyDtype): number {
  return DTYPES[dtype].bytes;
}

/** A typed array of the dtype's kind over `buffer` (which must be aligned for it). */
export function npyTypedArray(dtype: NpyDtype, buffer: ArrayBuffer): NpyArray['data'] {
  return DTYPES[dtype].make(buffer);
}

/** Checks that exactly the array's data follows the header: `available` bytes after `dataOffset`. */
export function checkNpyData(layout: NpyLayout, available: number, name: string): void {
  const { shape, dtype, dataBytes } = layout;
  if (available < dataBytes) fail(name, `truncated data: shape (${shape.join(', ')}) of ${dtype} needs ${dataBytes} bytes, file has ${available}`);
  if (available > dataBytes) fail(name, `${available - dataBytes} unexpected bytes after the array data`);
}

/** Reads the header of a .npy stored at `offset` of an open file and `available` bytes long from there. */
export async function readNpyLayout(file: FileHandle, offset: number, available: number, name: string): Promise<NpyLayout> {
  // Headers are a few hundred bytes; grow the read for the rare long one (many-dimensional shapes, format 2.0).
  for (let want = 1024; ; want *= 4) {
    const head = new Uint8Array(Math.min(want, available));
    const { bytesRead } = await file.read(head, 0, head.length, offset);
    const layout = bytesRead < 10 ? null : parseNpyLayout(head.subarray(0, bytesRead), name);
    if (layout) return layout;
    if (bytesRead < 10) fail(name, 'not a .npy file (bad magic string)');
    if (head.length === available) fail(name, 'truncated .npy header');
  }
}

/** Reads a .npy file's bytes; `name` (usually the path) is used in error messages. */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  // Shorter than the fixed prefix (magic, version, header length): not a .npy file at all.
  if (bytes.length < 10) fail(name, 'not a .npy file (bad magic string)');
  const layout = parseNpyLayout(bytes, name);
  if (!layout) fail(name, 'truncated .npy header');
  checkNpyData(layout, bytes.length - layout.dataOffset, name);
  // Copy into a fresh buffer: the data offset in the file need not be aligned for the typed array.
  const buf = bytes.slice(layout.dataOffset).buffer;
  return { dtype: layout.dtype, shape: layout.shape, data: DTYPES[layout.dtype].make(buf) };
}

/** Reads a .npy file from disk. */
export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpy(new Uint8Array(await readFile(path)), path);
}

function dtypeOf(data: NpyArray['data']): NpyDtype | null {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Uint32Array) return '<u4';
  return null;
}

/**
 * The magic, version and header of a .npy file: format 1.0, or 2.0 when the header exceeds 65535 bytes,
 * padded so that the data starts on a 64-byte boundary, as NumPy does.
 */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const paddedEnd = (prefix: number) => Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const v1 = paddedEnd(10) - 10 <= 0xffff;
  const prefix = v1 ? 10 : 12;
  const total = paddedEnd(prefix);
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  return out;
}

/**
 * Encodes an array as .npy bytes: format 1.0, or 2.0 when the header exceeds 65535 bytes. The header is padded
 * so that the data starts on a 64-byte boundary, as NumPy does. `dtype` may be omitted (taken from the typed
 * array); '|b1' must be given explicitly for a Uint8Array of booleans.
 */
export function encodeNpy(array: { shape: number[]; data: NpyArray['data']; dtype?: NpyDtype }, name = 'array'): Uint8Array {
  const dtype = array.dtype ?? dtypeOf(array.data);
  if (!dtype) fail(name, 'unsupported typed array for .npy');
  const expected = dtypeOf(array.data);
  if (!(expected === dtype || (dtype === '|b1' && expected === '|u1'))) {
    fail(name, `dtype '${dtype}' does not match its ${array.data.constructor.name} data`);
  }
  for (const d of array.shape) if (!(Number.isInteger(d) && d >= 0)) fail(name, `bad shape entry ${d}`);
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) fail(name, `shape (${array.shape.join(', ')}) holds ${count} values, data has ${array.data.length}`);
  const header = npyHeader(dtype, array.shape);
  const out = new Uint8Array(header.length + array.data.byteLength);
  out.set(header, 0);
  out.set(new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength), header.length);
  return out;
}

/** Writes an array to a .npy file (see encodeNpy). */
export async function writeNpy(path: string, array: { shape: number[]; data: NpyArray['data']; dtype?: NpyDtype }): Promise<void> {
  await writeFile(path, encodeNpy(array, path));
}
