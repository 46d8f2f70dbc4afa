// NumPy .npy and .npz files as dataset sources. A 2-d (N, F) array is a 'table', a 3-d (N, C, 4) array is
// 'jets' (E, px, py, pz per constituent), or 'events' when it is (N, 19, 4) with the ADC2021 class column.
// Rows are read at their file offsets, never the whole array: a .npy file, and the stored (np.savez) members
// of a .npz. Deflated members (np.savez_compressed) cannot be read at offsets and are inflated whole into
// memory when the source opens: memory cost = the member's uncompressed size.
import { open, type FileHandle } from 'node:fs/promises';
import { checkNpyData, npyItemSize, npyTypedArray, parseNpy, readNpyLayout, type NpyArray, type NpyDtype, type NpyLayout } from '../npy';
import {
  findCentralDirectory,
  localHeaderLength,
  npzKey,
  parseCentralDirectory,
  unpackMember,
  ZIP_LOCAL_HEADER_BYTES,
  ZIP_TAIL_BYTES,
  type ZipMember,
} from '../npz';
import { defaultLabelColumn, fileLabel, labelCode, labelNamesOf } from '../labels';
import type { ArraySpec, DatasetKind, DatasetSource, ImportOptions } from '../source';
import { ADC2021_FIELDS, ADC2021_SLOT_CLASSES, ADC2021_SLOTS } from './adc2021';

/** .npz member names taken as the features when the options name none (labels: LABEL_COLUMN_NAMES). */
export const NPZ_FEATURE_KEYS: readonly string[] = ['features', 'x', 'X', 'data'];

const P4_FIELDS = ['E', 'px', 'py', 'pz'];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** Rows looked at to recognise the ADC2021 layout. */
const SNIFF_ROWS = 1000;
/** Bytes per read while scanning labels at open. */
const SCAN_BYTES = 16 << 20;

/** An array whose rows (first axis) are read on demand; `name` is the file (or file[member]) for messages. */
interface RowArray {
  name: string;
  dtype: NpyDtype;
  shape: number[];
  rows(start: number, count: number): Promise<NpyArray['data']>;
}

const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
/** A shape as NumPy prints it: (3,) or (3, 4). */
const shapeText = (shape: number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

async function readExact(file: FileHandle, offset: number, length: number, what: string): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  for (let got = 0; got < length; ) {
    const { bytesRead } = await file.read(buf, got, length - got, offset + got);
    if (bytesRead === 0) throw new Error(`${what}: file ends at byte ${offset + got}, ${length - got} bytes short (truncated?)`);
    got += bytesRead;
  }
  return buf;
}

/** Rows of a .npy whose bytes start at `base` of the file. */
function fileRows(file: FileHandle, base: number, layout: NpyLayout, name: string): RowArray {
  const rowBytes = product(layout.shape.slice(1)) * npyItemSize(layout.dtype);
  return {
    name,
    dtype: layout.dtype,
    shape: layout.shape,
    async rows(start, count) {
      const bytes = await readExact(file, base + layout.dataOffset + start * rowBytes, count * rowBytes, name);
      return npyTypedArray(layout.dtype, bytes.buffer as ArrayBuffer);
    },
  };
}

function memoryRows(a: NpyArray, name: string): RowArray {
  const rowLen = product(a.shape.slice(1));
  return { name, dtype: a.dtype, shape: a.shape, rows: async (start, count) => a.data.subarray(start * rowLen, (start + count) * rowLen) };
}

async function npyRows(file: FileHandle, size: number, path: string): Promise<RowArray> {
  const layout = await readNpyLayout(file, 0, size, path);
  checkNpyData(layout, size - layout.dataOffset, path);
  return fileRows(file, 0, layout, path);
}

async function memberRows(file: FileHandle, size: number, m: ZipMember, path: string): Promise<RowArray> {
  const name = `${path}[${m.member}]`;
  const local = await readExact(file, m.localOffset, ZIP_LOCAL_HEADER_BYTES, path);
  const start = m.localOffset + localHeaderLength(local, m, path);
  if (start + m.compSize > size) throw new Error(`${path}: truncated data for '${m.member}'`);
  if (m.method === 0 && m.compSize === m.size) {
    const layout = await readNpyLayout(file, start, m.size, name);
    checkNpyData(layout, m.size - layout.dataOffset, name);
    return fileRows(file, start, layout, name);
  }
  const raw = await readExact(file, start, m.compSize, path);
  return memoryRows(parseNpy(unpackMember(raw, m, path), name), name);
}

interface Chosen {
  features: RowArray;
  /** The labels array, when the file has one. */
  labels?: RowArray;
  meta: Record<string, unknown>;
}

async function npzArrays(file: FileHandle, size: number, path: string, opts: ImportOptions): Promise<Chosen> {
  const tailLength = Math.min(size, ZIP_TAIL_BYTES);
  const dir = findCentralDirectory(await readExact(file, size - tailLength, tailLength, path), path);
  const dirBytes = dir.offset < size ? await readExact(file, dir.offset, size - dir.offset, path) : new Uint8Array(0);
  const members = new Map(parseCentralDirectory(dirBytes, dir.entries, path).map((m) => [npzKey(m.member), m]));
  const keys = [...members.keys()];
  const featureKey = opts.key ?? NPZ_FEATURE_KEYS.find((k) => members.has(k));
  const featureMember = featureKey === undefined ? undefined : members.get(featureKey);
  if (!featureMember) {
    const wanted = opts.key !== undefined ? `'${opts.key}'` : NPZ_FEATURE_KEYS.map((k) => `'${k}'`).join(', ');
    const held = keys.join(', ') || 'nothing';
    throw new Error(`${path}: no features array ${wanted} (the archive holds: ${held}); name one with the key option`);
  }
  // A labelColumn that is no member may name a column of the features (see labelReader); a whole-file
  // label wins over a labels array found by name.
  const labelKey =
    opts.labelColumn !== undefined
      ? members.has(opts.labelColumn)
        ? opts.labelColumn
        : undefined
      : opts.label === undefined
        ? defaultLabelColumn(members.keys())
        : undefined;
  const features = await memberRows(file, size, featureMember, path);
  const labelMember = labelKey === undefined ? undefined : members.get(labelKey);
  const labels = labelMember ? await memberRows(file, size, labelMember, path) : undefined;
  return { features, labels, meta: { key: featureKey, ...(labelKey !== undefined ? { labelKey } : {}) } };
}

/** Float32 copies of raw values (int64 through Number; values beyond float32 become ±Infinity and are caught later). */
function toFloat32(raw: NpyArray['data']): Float32Array {
  return raw instanceof BigInt64Array ? Float32Array.from(raw, (v) => Number(v)) : Float32Array.from(raw);
}

/** What a row of the features holds, in the words used in error messages. */
interface Shape {
  kind: DatasetKind;
  rows: number;
  /** Values per stored row of the file. */
  width: number;
  /** For a table: every column's name; the label column (if any) is dropped from the features. */
  names: string[];
  labelColumn: number;
}

function valueName(s: Shape, i: number): string {
  if (s.kind === 'table') return `column '${s.names[i]}'`;
  const [what, fields] = s.kind === 'events' ? ['slot', ADC2021_FIELDS as readonly string[]] : ['constituent', P4_FIELDS];
  return `${what} ${Math.floor(i / 4)}, ${fields[i % 4]}`;
}

/** The index of the first value whose ADC2021 class is neither 0 nor its slot's class, or -1. */
function badAdcClass(values: Float32Array): number {
  for (let i = 3; i < values.length; i += 4) {
    const cls = values[i];
    if (cls !== 0 && cls !== ADC2021_SLOT_CLASSES[Math.floor(i / 4) % ADC2021_SLOTS]) return i;
  }
  return -1;
}

async function detectKind(features: RowArray, opts: ImportOptions): Promise<Shape> {
  const shape = features.shape;
  const rows = shape[0];
  if (shape.length === 2) {
    const names = opts.columns ?? Array.from({ length: shape[1] }, (_, i) => `f${i}`);
    if (names.length !== shape[1]) throw new Error(`${features.name}: ${names.length} column names given for ${shape[1]} columns`);
    return { kind: 'table', rows, width: shape[1], names, labelColumn: -1 };
  }
  if (shape.length !== 3 || shape[2] !== 4) {
    throw new Error(`${features.name}: array of shape ${shapeText(shape)}; expected (N, F) for a table or (N, C, 4) for jets or events`);
  }
  if (opts.columns) throw new Error(`${features.name}: column names apply to 2-d (N, F) arrays only, this one is ${shapeText(shape)}`);
  const sample = rows > 0 && shape[1] === ADC2021_SLOTS ? toFloat32(await features.rows(0, Math.min(rows, SNIFF_ROWS))) : null;
  const events = sample !== null && badAdcClass(sample) < 0 && sample.some((v, i) => i % 4 === 3 && v !== 0);
  return { kind: events ? 'events' : 'jets', rows, width: shape[1] * 4, names: [], labelColumn: -1 };
}

/**
 * Reads label codes for rows start…start+count−1, rejecting values that are not integers in −1…127;
 * `features` (those rows' raw values, when already read) spares a second read of a label column.
 */
type LabelReader = (start: number, count: number, features?: NpyArray['data']) => Promise<Int8Array>;

function codesOf(values: ArrayLike<number | bigint>, step: number, offset: number, start: number, what: string): Int8Array {
  const out = new Int8Array(Math.floor(values.length / step));
  for (let r = 0; r < out.length; r++) {
    const v = Number(values[r * step + offset]);
    const code = labelCode(v);
    if (code === null) throw new Error(`${what}: row ${start + r} holds ${v}, not an integer label in -1..127`);
    out[r] = code;
  }
  return out;
}

interface Labels {
  read: LabelReader;
  names: (codes: Set<number>) => Record<string, string>;
  /** Whether the codes vary by row, so that labelNames needs a pass over them at open. */
  scan: boolean;
}

function labelReader(chosen: Chosen, s: Shape, path: string, opts: ImportOptions): Labels {
  const { labels, features } = chosen;
  if (labels) {
    const ls = labels.shape;
    if (!((ls.length === 1 || (ls.length === 2 && ls[1] === 1)) && ls[0] === s.rows)) {
      throw new Error(`${labels.name}: labels of shape ${shapeText(ls)}; expected (${s.rows},) like the features`);
    }
    return {
      read: async (start, count) => codesOf(await labels.rows(start, count), 1, 0, start, labels.name),
      names: labelNamesOf,
      scan: true,
    };
  }
  if (opts.labelColumn !== undefined) {
    const where = `${path}: label column '${opts.labelColumn}'`;
    s.labelColumn = s.names.indexOf(opts.labelColumn);
    if (s.labelColumn < 0) throw new Error(`${path}: no array or column named '${opts.labelColumn}' for the labels`);
    return {
      read: async (start, count, raw) => codesOf(raw ?? (await features.rows(start, count)), s.width, s.labelColumn, start, where),
      names: labelNamesOf,
      scan: true,
    };
  }
  const whole = fileLabel(opts.label);
  return { read: async (_start, count) => new Int8Array(count).fill(whole.code), names: () => whole.labelNames, scan: false };
}

/** Every label code present, from one chunked pass at open (so that labelNames is complete). */
async function scanCodes(read: LabelReader, rows: number, rowBytes: number): Promise<Set<number>> {
  const codes = new Set<number>();
  const step = Math.max(1, Math.floor(SCAN_BYTES / Math.max(1, rowBytes)));
  for (let start = 0; start < rows; start += step) for (const c of await read(start, Math.min(step, rows - start))) codes.add(c);
  return codes;
}

function checkValues(values: Float32Array, raw: NpyArray['data'], s: Shape, start: number, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const row = start + Math.floor(i / s.width);
      throw new Error(`${name}: row ${row}, ${valueName(s, i % s.width)} is ${raw[i]}, not a finite float32`);
    }
  }
  if (s.kind !== 'events') return;
  const bad = badAdcClass(values);
  if (bad >= 0) {
    const slot = Math.floor(bad / 4) % ADC2021_SLOTS;
    const row = start + Math.floor(bad / s.width);
    throw new Error(`${name}: row ${row}, slot ${slot} has class ${values[bad]}, expected ${ADC2021_SLOT_CLASSES[slot]} or 0`);
  }
}

/** The features without the label column (a table whose labels are one of its columns). */
function dropColumn(values: Float32Array, width: number, column: number): Float32Array {
  const out = new Float32Array((values.length / width) * (width - 1));
  for (let r = 0, o = 0; r < values.length; r += width) {
    for (let c = 0; c < width; c++) if (c !== column) out[o++] = values[r + c];
  }
  return out;
}

async function buildSource(path: string, chosen: Chosen, opts: ImportOptions, file: FileHandle): Promise<DatasetSource> {
  const { features } = chosen;
  const s = await detectKind(features, opts);
  if (s.rows === 0) throw new Error(`${features.name}: the array holds no rows`);
  if (opts.label !== undefined && opts.labelColumn !== undefined) {
    throw new Error(`${path}: give either a label array/column or a label for the whole file, not both`);
  }
  const labels = labelReader(chosen, s, path, opts);
  const codes = labels.scan ? await scanCodes(labels.read, s.rows, s.width * 4) : new Set<number>();
  const featureNames = s.names.filter((_, i) => i !== s.labelColumn);
  const arrayName = s.kind === 'table' ? 'features' : s.kind === 'jets' ? 'p4' : 'particles';
  const rowShape = s.kind === 'table' ? [featureNames.length] : features.shape.slice(1);
  const arrays: ArraySpec[] = [
    { name: arrayName, dtype: 'float32', rowShape },
    { name: 'labels', dtype: 'int8', rowShape: [] },
  ];
  let closed = false;
  return {
    path,
    format: 'npy',
    kind: s.kind,
    rows: s.rows,
    arrays,
    ...(s.kind === 'table' ? { columns: featureNames } : {}),
    labelNames: labels.names(codes),
    meta: { ...chosen.meta, dtype: features.dtype, shape: features.shape },
    async read(start, count) {
      if (closed) throw new Error(`${path}: source is closed`);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > s.rows) {
        throw new Error(`${path}: rows ${start}..${start + count} are outside 0..${s.rows}`);
      }
      const raw = await features.rows(start, count);
      const values = toFloat32(raw);
      checkValues(values, raw, s, start, features.name);
      const out = s.labelColumn >= 0 ? dropColumn(values, s.width, s.labelColumn) : values;
      return { [arrayName]: out, labels: await labels.read(start, count, raw) };
    },
    close() {
      if (!closed) void file.close();
      closed = true;
    },
  };
}

/** Opens a .npy or .npz file (told apart by their first bytes) as a dataset source. */
export async function openNpySource(path: string, opts: ImportOptions): Promise<DatasetSource> {
  const file = await open(path, 'r').catch((e: Error) => {
    throw new Error(`${path}: cannot open (${e.message})`);
  });
  try {
    const size = (await file.stat()).size;
    const head = await readExact(file, 0, Math.min(size, 4), path);
    const zip = ZIP_MAGIC.every((b, i) => head[i] === b);
    if (!zip && opts.key !== undefined) throw new Error(`${path}: the key option names a .npz member, this is a .npy file`);
    const chosen: Chosen = zip ? await npzArrays(file, size, path, opts) : { features: await npyRows(file, size, path), meta: {} };
    return await buildSource(path, chosen, opts, file);
  } catch (e) {
    await file.close();
    throw e;
  }
}
