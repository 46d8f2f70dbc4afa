// Plain HDF5 files written by `awb generate`: the CMS ADC2021 layout (physics.md §1.2) and a generic feature
// table. Both carry the generator stamp on the root (source.ts, GENERATOR_ATTR).
import h5wasm from 'h5wasm/node';
import { ADC2021_FIELDS, ADC2021_SLOTS } from '../readers/adc2021';
import type { GeneratorStamp } from '../source';
import {
  checkFinite,
  checkLength,
  checkRowCount,
  checkStreaming,
  createBytesDataset,
  createRowDataset,
  hdf5,
  streamChunks,
  writeNewHdf5,
  writeRows,
  type StreamOptions,
} from './hdf5-writer';

export type { StreamOptions } from './hdf5-writer';

/** The names the organisers' files carry (physics.md §1.2). */
export const ADC2021_PARTICLE_NAMES = ['Pt', 'Eta', 'Phi', 'Class'] as const;
export const ADC2021_PARTICLE_CLASSES = ['MET_class_1', 'Four_Ele_class_2', 'Four_Mu_class_3', 'Ten_Jet_class_4'] as const;

const PARTICLE_VALUES = ADC2021_SLOTS * ADC2021_FIELDS.length;
const PARTICLE_COLUMNS = Array.from({ length: ADC2021_SLOTS }, (_, s) => ADC2021_FIELDS.map((f) => `slot ${s} ${f}`)).flat();

/**
 * ADC2021 layout: 'Particles' (N, 19, 4) float32 (pT, η, φ, class), 'Particles_Names' and
 * 'Particles_Classes' as fixed-length byte strings, root attribute GENERATOR_ATTR. `read(start, count)`
 * returns count × 19 × 4 values; rows are streamed in chunks, so memory stays bounded.
 */
export async function writeAdc2021Hdf5(
  path: string,
  rows: number,
  read: (start: number, count: number) => Float32Array | Promise<Float32Array>,
  stamp: GeneratorStamp,
  opts: StreamOptions = {},
): Promise<void> {
  const where = `ADC2021 output ${path}`;
  checkStreaming(rows, opts, where);
  await h5wasm.ready;
  await writeNewHdf5(path, where, stamp, async (file) => {
    const particles = hdf5(where, 'creating the layout', () => {
      createBytesDataset(file, 'Particles_Names', ADC2021_PARTICLE_NAMES, where);
      createBytesDataset(file, 'Particles_Classes', ADC2021_PARTICLE_CLASSES, where);
      return createRowDataset(file, 'Particles', '<f', rows, [ADC2021_SLOTS, ADC2021_FIELDS.length]);
    });
    await streamChunks(where, rows, opts, read, (start, count, values) => {
      checkLength(values, count * PARTICLE_VALUES, 'Particles', start, count, where);
      checkFinite(values, start, PARTICLE_COLUMNS, 'Particles', where);
      writeRows(particles, start, count, values, where);
    });
  });
}

export interface FeatureTable {
  rows: number;
  columns: readonly string[];
  /** rows × columns.length, row-major. */
  features: Float32Array;
  labels: Int8Array | Uint8Array;
  /** Further float32 arrays, each rows × product(rowShape), e.g. the intrinsic coordinates of a manifold. */
  extra?: Record<string, { data: Float32Array; rowShape: number[] }>;
}

/**
 * Generic feature table: 'features' (N, F) float32 with attribute 'columns' (the F names, UTF-8),
 * 'labels' (N,) int8, and each `extra` array under its name; root attribute GENERATOR_ATTR.
 */
export async function writeFeaturesHdf5(path: string, table: FeatureTable, stamp: GeneratorStamp): Promise<void> {
  const where = `Feature table output ${path}`;
  checkFeatureTable(table, where);
  await h5wasm.ready;
  await writeNewHdf5(path, where, stamp, async (file) => {
    hdf5(where, 'writing the arrays', () => {
      const { rows, columns } = table;
      const features = file.create_dataset({ name: 'features', data: table.features, shape: [rows, columns.length], dtype: '<f' });
      features.create_attribute('columns', [...columns], [columns.length]);
      const labels = table.labels instanceof Int8Array ? table.labels : new Int8Array(table.labels);
      file.create_dataset({ name: 'labels', data: labels, shape: [rows], dtype: '|b' });
      for (const [name, { data, rowShape }] of Object.entries(table.extra ?? {})) {
        file.create_dataset({ name, data, shape: [rows, ...rowShape], dtype: '<f' });
      }
    });
  });
}

function checkFeatureTable(table: FeatureTable, where: string): void {
  const { rows, columns } = table;
  checkRowCount(rows, where);
  if (columns.length === 0) throw new Error(`${where}: no feature columns`);
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined) throw new Error(`${where}: column '${duplicate}' appears twice`);
  checkLength(table.features, rows * columns.length, 'features', 0, rows, where);
  checkFinite(table.features, 0, columns, 'column', where);
  checkLength(table.labels, rows, 'labels', 0, rows, where);
  for (let r = 0; r < rows; r++) {
    if (table.labels[r] > 127) throw new Error(`${where}: row ${r}, label ${table.labels[r]} does not fit in int8`);
  }
  for (const [name, { data, rowShape }] of Object.entries(table.extra ?? {})) {
    if (name === 'features' || name === 'labels') throw new Error(`${where}: extra array '${name}' would replace the ${name}`);
    if (name.includes('/') || name === '') throw new Error(`${where}: '${name}' is not a valid dataset name`);
    const width = rowShape.reduce((a, b) => a * b, 1);
    checkLength(data, rows * width, name, 0, rows, where);
    checkFinite(data, 0, Array.from({ length: width }, (_, k) => `${name}[${k}]`), 'value', where);
  }
}
