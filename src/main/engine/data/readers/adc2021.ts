// Reader for the CMS ADC2021 files (physics.md §1.2): dataset `Particles` of shape (N, 19, 4) holding
// (pT, η, φ, class) for 19 fixed slots, and an optional `EvtId` (the black box file). Events are read in
// slices so that memory stays bounded whatever the file size.
import h5wasm from 'h5wasm/node';
import { basename } from 'node:path';
import { fileLabel } from '../labels';
import type { DatasetSource, ImportOptions } from '../source';
import { hdf5ErrorMessage, openWithLayout, readGeneratorStamp, withHdf5Errors, type Hdf5File } from './hdf5-file';

export const ADC2021_SLOTS = 19;
export const ADC2021_FIELDS = ['pT', 'eta', 'phi', 'class'] as const;

/** Object class that each of the 19 slots may hold: 0 MET, 1–4 electrons, 5–8 muons, 9–18 jets (0 = empty slot). */
export const ADC2021_SLOT_CLASSES: readonly number[] = Array.from({ length: ADC2021_SLOTS }, (_, s) =>
  s === 0 ? 1 : s <= 4 ? 2 : s <= 8 ? 3 : 4,
);
const CLASS_NAMES = ['empty', 'MET', 'electron', 'muon', 'jet'];

export interface Adc2021Slice {
  /** count × 19 × 4, (pT, η, φ, class) per slot. */
  particles: Float32Array;
  /** One id per event from `EvtId`, or null when the file has none. */
  eventIds: BigInt64Array | null;
}

export interface Adc2021Reader {
  readonly path: string;
  readonly events: number;
  /** Label names from the file's generator stamp (files written by `awb generate events`), else null. */
  readonly stampLabels: Record<string, string> | null;
  read(start: number, count: number): Adc2021Slice;
  close(): void;
}

type Dataset = InstanceType<typeof h5wasm.Dataset>;

/** Opens an ADC2021 file, checks its layout, and returns a slice reader. Call `await h5wasm.ready` first. */
export function openAdc2021(path: string): Adc2021Reader {
  const where = `ADC2021 file ${path}`;
  return openWithLayout(path, where, (file) => layoutReader(file, path, where));
}

function dataset(file: Hdf5File, name: string, where: string): Dataset {
  const ds = file.get(name);
  if (!(ds instanceof h5wasm.Dataset)) throw new Error(`${where}: '${name}' is not a dataset`);
  return ds;
}

function layoutReader(file: Hdf5File, path: string, where: string): Adc2021Reader {
  const keys = file.keys();
  if (!keys.includes('Particles')) {
    throw new Error(`${where}: no dataset 'Particles' (found: ${keys.length ? keys.join(', ') : 'nothing'})`);
  }
  const particles = dataset(file, 'Particles', where);
  const shape = particles.shape;
  if (!shape || shape.length !== 3 || shape[1] !== ADC2021_SLOTS || shape[2] !== ADC2021_FIELDS.length) {
    throw new Error(`${where}: 'Particles' has shape ${JSON.stringify(shape)}, expected (N, 19, 4)`);
  }
  const meta = particles.metadata;
  if (meta.type !== 1 || (meta.size !== 4 && meta.size !== 8) || !meta.littleEndian) {
    throw new Error(`${where}: 'Particles' must hold little-endian float32 or float64 (found HDF5 class ${meta.type}, ${meta.size} bytes)`);
  }
  const events = shape[0];
  if (events === 0) throw new Error(`${where}: 'Particles' holds no events`);
  if (keys.includes('Particles_Names')) checkNames(dataset(file, 'Particles_Names', where), where);
  const ids = keys.includes('EvtId') ? eventIdDataset(dataset(file, 'EvtId', where), events, where) : null;
  const stampLabels = readGeneratorStamp(file, where)?.labelNames ?? null;

  let open = true;
  return {
    path,
    events,
    stampLabels,
    read(start, count) {
      if (!open) throw new Error(`${where}: reader is closed`);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > events) {
        throw new Error(`${where}: events ${start}..${start + count} are outside 0..${events}`);
      }
      let raw: unknown;
      let rawIds: unknown = null;
      try {
        raw = withHdf5Errors(() => particles.slice([[start, start + count]]));
        if (ids) rawIds = withHdf5Errors(() => ids.slice([[start, start + count]]));
      } catch (e) {
        throw new Error(
          `${where}: cannot read events ${start}..${start + count}, the file is probably truncated or corrupt (${hdf5ErrorMessage(e)})`,
        );
      }
      const out = raw instanceof Float32Array ? raw : Float32Array.from(raw as Float64Array);
      checkValues(out, start, where);
      return { particles: out, eventIds: rawIds === null ? null : toBigInt64(rawIds, start, where) };
    },
    close() {
      if (open) file.close();
      open = false;
    },
  };
}

// The organisers write ['Pt', 'Eta', 'Phi', 'Class']; a different list means the last axis is not what we read it as.
function checkNames(ds: Dataset, where: string): void {
  const value = ds.value;
  const names = Array.isArray(value) ? value.map((v) => String(v).replace(/\0+$/, '').trim().toLowerCase()) : [];
  const expected = ['pt', 'eta', 'phi', 'class'];
  if (names.length !== expected.length || names.some((n, i) => n !== expected[i])) {
    throw new Error(`${where}: 'Particles_Names' is ${JSON.stringify(value)}, expected ["Pt","Eta","Phi","Class"]`);
  }
}

function eventIdDataset(ds: Dataset, events: number, where: string): Dataset {
  const shape = ds.shape;
  const meta = ds.metadata;
  if (!shape || !(shape.length === 1 || (shape.length === 2 && shape[1] === 1)) || shape[0] !== events) {
    throw new Error(`${where}: 'EvtId' has shape ${JSON.stringify(shape)}, expected (${events},) like 'Particles'`);
  }
  if (meta.type !== 0 && meta.type !== 1) {
    throw new Error(`${where}: 'EvtId' is not numeric (HDF5 class ${meta.type})`);
  }
  return ds;
}

function toBigInt64(raw: unknown, start: number, where: string): BigInt64Array {
  if (raw instanceof BigInt64Array) return raw;
  if (raw instanceof BigUint64Array) {
    const out = new BigInt64Array(raw.length);
    raw.forEach((v, i) => {
      if (v > 0x7fffffffffffffffn) throw new Error(`${where}: event ${start + i}, EvtId ${v} does not fit in int64`);
      out[i] = v;
    });
    return out;
  }
  const values = raw as ArrayLike<number>;
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isSafeInteger(v)) throw new Error(`${where}: event ${start + i}, EvtId ${v} is not an integer`);
    out[i] = BigInt(v);
  }
  return out;
}

function checkValues(p: Float32Array, start: number, where: string): void {
  const width = ADC2021_FIELDS.length;
  for (let i = 0; i < p.length; i += width) {
    const event = start + Math.floor(i / (ADC2021_SLOTS * width));
    const slot = (i / width) % ADC2021_SLOTS;
    for (let f = 0; f < width; f++) {
      if (!Number.isFinite(p[i + f])) throw new Error(`${where}: event ${event}, slot ${slot}, field ${ADC2021_FIELDS[f]} is ${p[i + f]}`);
    }
    const cls = p[i + 3];
    const expected = ADC2021_SLOT_CLASSES[slot];
    if (cls !== 0 && cls !== expected) {
      throw new Error(
        `${where}: event ${event}, slot ${slot} has class ${cls}, expected ${expected} (${CLASS_NAMES[expected]}) or 0 (empty)`,
      );
    }
  }
}

// The organisers' file names (physics.md §1.2) name the process; the black box is deliberately unlabelled.
const FILE_NAME_LABELS: readonly [RegExp, string | null][] = [
  [/blackbox/i, null],
  [/background|^sm[_.-]/i, 'sm'],
  [/ato4l/i, 'ato4l'],
  [/leptoquark|^lq[_.-]/i, 'lq-btau'],
  [/hchtotaunu|hplus/i, 'hplus-taunu'],
  [/htotautau|^h0[_.-]/i, 'h0-tautau'],
];

/**
 * An ADC2021 file as a dataset source (kind 'events'). Every event of a file has one label: the user's
 * (`opts.label`), else the generator stamp's, else the one the organisers' file name implies, else none.
 */
export async function openAdc2021Source(path: string, opts: ImportOptions): Promise<DatasetSource> {
  await h5wasm.ready;
  const reader = openAdc2021(path);
  const fromName = FILE_NAME_LABELS.find(([re]) => re.test(basename(path)));
  const { code, labelNames } =
    opts.label === undefined && reader.stampLabels
      ? { code: Number(Object.keys(reader.stampLabels)[0]), labelNames: reader.stampLabels }
      : fileLabel(opts.label ?? fromName?.[1] ?? undefined);
  return {
    path,
    format: 'adc2021',
    kind: 'events',
    rows: reader.events,
    arrays: [
      { name: 'particles', dtype: 'float32', rowShape: [ADC2021_SLOTS, ADC2021_FIELDS.length] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ],
    labelNames,
    meta: { labelFrom: opts.label !== undefined ? 'user' : reader.stampLabels ? 'generator stamp' : fromName?.[1] ? 'file name' : 'none' },
    read: async (start, count) => ({ particles: reader.read(start, count).particles, labels: new Int8Array(count).fill(code) }),
    close: () => reader.close(),
  };
}
