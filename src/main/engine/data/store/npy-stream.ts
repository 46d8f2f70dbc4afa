// Row-wise streaming of .npy files: the dataset store writes arrays far larger than memory chunk by
// chunk (the shape is known up front, so the header is final from the start) and reads rows back at
// file offsets. Files stay plain NumPy: `np.load(path, mmap_mode='r')` opens any of them.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { npyHeader, npyItemSize, npyTypedArray, parseNpyLayout, type NpyDtype } from '../npy';
import type { StoredArray, StoredDtype } from '../source';

export const NPY_DTYPE: Record<StoredDtype, NpyDtype> = { float32: '<f4', int8: '|i1' };
const STORED_DTYPE: Partial<Record<NpyDtype, StoredDtype>> = { '<f4': 'float32', '|i1': 'int8' };

const rowLength = (rowShape: readonly number[]): number => rowShape.reduce((a, b) => a * b, 1);

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off);
}

/** Writes rows of one array into a new .npy file; the SHA-256 covers the data bytes only (not the header). */
export class NpyStreamWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private written = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly dtype: StoredDtype,
    readonly rows: number,
    readonly rowShape: readonly number[],
  ) {
    this.fd = openSync(path, 'wx');
    writeAll(this.fd, npyHeader(NPY_DTYPE[dtype], [rows, ...rowShape]));
  }

  get rowsWritten(): number {
    return this.written;
  }

  append(data: StoredArray): void {
    const width = rowLength(this.rowShape);
    const expected = this.dtype === 'float32' ? Float32Array : Int8Array;
    if (!(data instanceof expected)) throw new Error(`${this.path}: expected ${this.dtype} rows, got ${data.constructor.name}`);
    if (data.length % width !== 0) throw new Error(`${this.path}: ${data.length} values is not a whole number of rows of ${width}`);
    const count = data.length / width;
    if (this.written + count > this.rows) throw new Error(`${this.path}: more than the ${this.rows} rows announced`);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    writeAll(this.fd, bytes);
    this.hash.update(bytes);
    this.written += count;
  }

  /** Checks that every announced row arrived, makes the file durable, and returns the data's SHA-256. */
  finish(): string {
    if (this.written !== this.rows) throw new Error(`${this.path}: ${this.written} rows written, ${this.rows} announced`);
    fsyncSync(this.fd);
    this.close();
    return this.hash.digest('hex');
  }

  /** Closes the file without checks (the caller removes it). */
  close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

/** Random access to the rows of a stored .npy array. */
export class NpyRowReader {
  readonly dtype: StoredDtype;
  readonly rows: number;
  readonly rowShape: readonly number[];
  private readonly fd: number;
  private readonly dataOffset: number;
  private readonly itemSize: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(4096);
      const got = readSync(this.fd, head, 0, head.length, 0);
      const layout = parseNpyLayout(head.subarray(0, got), path);
      if (!layout) throw new Error(`${path}: .npy header is truncated or longer than 4 KiB`);
      const dtype = STORED_DTYPE[layout.dtype];
      if (!dtype || layout.shape.length === 0) throw new Error(`${path}: not a dataset-store array (${layout.dtype}, shape (${layout.shape.join(', ')}))`);
      this.dtype = dtype;
      this.rows = layout.shape[0];
      this.rowShape = layout.shape.slice(1);
      this.dataOffset = layout.dataOffset;
      this.itemSize = npyItemSize(layout.dtype);
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  get rowLength(): number {
    return rowLength(this.rowShape);
  }

  read(start: number, count: number): StoredArray {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.rows) {
      throw new Error(`${this.path}: rows ${start}..${start + count} are outside 0..${this.rows}`);
    }
    const bytes = count * this.rowLength * this.itemSize;
    const buf = new ArrayBuffer(bytes);
    const view = new Uint8Array(buf);
    for (let off = 0; off < bytes; ) {
      const got = readSync(this.fd, view, off, bytes - off, this.dataOffset + start * this.rowLength * this.itemSize + off);
      if (got === 0) throw new Error(`${this.path}: file ends before row ${start + count} (truncated store file)`);
      off += got;
    }
    return npyTypedArray(NPY_DTYPE[this.dtype], buf) as StoredArray;
  }

  /** The given rows (any order, repeats allowed), reading each run of consecutive rows at once. */
  gather(rows: ArrayLike<number>): StoredArray {
    const width = this.rowLength;
    const out = this.dtype === 'float32' ? new Float32Array(rows.length * width) : new Int8Array(rows.length * width);
    for (let i = 0; i < rows.length; ) {
      let j = i + 1;
      while (j < rows.length && rows[j] === rows[j - 1] + 1) j++;
      out.set(this.read(rows[i], j - i) as never, i * width);
      i = j;
    }
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }
}
