// NumPy .npy reader and writer (format spec: numpy.lib.format, versions 1.0, 2.0 and 3.0), little-endian and
// C-order only, for the numeric dtypes that data sets and exported scores actually use.
import { readFile, writeFile } from 'node:fs/promises';

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

/** Reads a .npy file's bytes; `name` (usually the path) is used in error messages. */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) fail(name, 'not a .npy file (bad magic string)');
  const major = bytes[6];
  const minor = bytes[7];
  let headerLen: number;
  let start: number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(name, 'truncated .npy header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    fail(name, `unsupported .npy format version ${major}.${minor}`);
  }
  if (start + headerLen > bytes.length) fail(name, 'truncated .npy header');
  // Version 3.0 only differs from 2.0 by allowing UTF-8 in the header (field names of structured dtypes).
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const { descr, fortran, shape } = parseHeader(header, name);
  if (descr.startsWith('>')) fail(name, `big-endian dtype '${descr}' is not supported; save with a little-endian dtype`);
  if (!isDtype(descr)) fail(name, `unsupported dtype '${descr}' (supported: ${Object.keys(DTYPES).join(', ')})`);
  if (fortran) fail(name, "Fortran-order arrays are not supported; save with np.ascontiguousarray(...) first");
  const count = shape.reduce((a, b) => a * b, 1);
  const nbytes = count * DTYPES[descr].bytes;
  const offset = start + headerLen;
  if (bytes.length - offset < nbytes) {
    fail(name, `truncated data: shape (${shape.join(', ')}) of ${descr} needs ${nbytes} bytes, file has ${bytes.length - offset}`);
  }
  if (bytes.length - offset > nbytes) fail(name, `${bytes.length - offset - nbytes} unexpected bytes after the array data`);
  // Copy into a fresh buffer: the data offset in the file need not be aligned for the typed array.
  const buf = bytes.slice(offset, offset + nbytes).buffer;
  return { dtype: descr, shape, data: DTYPES[descr].make(buf) };
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
  const shapeText = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const paddedEnd = (prefix: number) => Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const v1 = paddedEnd(10) - 10 <= 0xffff;
  const prefix = v1 ? 10 : 12;
  const total = paddedEnd(prefix);
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const out = new Uint8Array(total + array.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength), total);
  return out;
}

/** Writes an array to a .npy file (see encodeNpy). */
export async function writeNpy(path: string, array: { shape: number[]; data: NpyArray['data']; dtype?: NpyDtype }): Promise<void> {
  await writeFile(path, encodeNpy(array, path));
}
