// Reader for HDF5 files in no particular experiment's format, in four layouts:
//   (a) a 2-d numeric dataset (N, F): one row per event, column names from a 'columns' attribute or dataset;
//   (b) 1-d numeric datasets of equal length, one per column;
//   (c) a pandas DataFrame (its numeric columns);
//   (d) a 3-d dataset (N, C, 4) of (E, px, py, pz) per constituent: jets.
// Labels come from a 1-d dataset or column (the labelColumn option, else one named as in LABEL_COLUMN_NAMES) and
// must be integers in −1…127. Everything is read in row slices, so memory stays bounded whatever the file size.
import h5wasm from 'h5wasm/node';
import { defaultLabelColumn, fileLabel, labelCode, labelNamesOf, wholeFileLabel } from '../labels';
import { UNLABELLED, type DatasetKind, type DatasetSource, type ImportOptions } from '../source';
import { hdf5ErrorMessage, openWithLayout, readGeneratorStamp, withHdf5Errors, type Hdf5File } from './hdf5-file';
import { orderByPt } from './lhco';
import { checkDecodable, openPandasFrame, pandasKeys } from './pandas-store';

type Dataset = InstanceType<typeof h5wasm.Dataset>;
type Values = ArrayLike<number | bigint>;

export interface Hdf5Description {
  datasets: { path: string; shape: number[]; dtype: string }[];
  pandasKeys: string[];
  /** What openHdf5Source reads without options; empty columns when it would need some. */
  suggested: { key?: string; columns: string[]; labelColumn?: string };
}

const FEATURES = 'features';
const LABEL_SCAN_ROWS = 1 << 16;

/** One layout resolved against a file: reads checked float32 values and raw label values in row slices. */
interface Plan {
  kind: DatasetKind;
  layout: 'matrix' | 'columns' | 'pandas' | 'jets';
  key: string;
  rows: number;
  /** Feature names (table) or [] (jets). */
  columns: string[];
  constituents: number;
  labelColumn: string | null;
  values(start: number, count: number): Float32Array;
  labels(start: number, count: number): Values | null;
}

function dtypeName(meta: { type: number; size: number; signed: boolean }): string {
  if (meta.type === 1) return `float${meta.size * 8}`;
  if (meta.type === 0) return `${meta.signed ? 'int' : 'uint'}${meta.size * 8}`;
  return ({ 3: 'string', 4: 'bool', 6: 'compound', 9: 'vlen', 10: 'array' } as Record<number, string>)[meta.type] ?? `HDF5 class ${meta.type}`;
}

function isNumeric(ds: Dataset): boolean {
  const m = ds.metadata;
  return (m.type === 0 || m.type === 1) && (m.littleEndian || m.size === 1);
}

/** Every dataset outside pandas' own groups, by path without the leading '/'. */
function datasets(file: Hdf5File): Map<string, Dataset> {
  const inPandas = pandasKeys(file).map((k) => `${k}/`);
  const out = new Map<string, Dataset>();
  for (const p of file.paths()) {
    const path = p.replace(/^\//, '');
    if (inPandas.some((k) => path.startsWith(k))) continue;
    const entity = file.get(path);
    if (entity instanceof h5wasm.Dataset) out.set(path, entity);
  }
  return out;
}

const rank = (ds: Dataset) => ds.shape?.length ?? 0;
const isJets = (ds: Dataset) => rank(ds) === 3 && ds.shape![2] === 4 && isNumeric(ds);

/** Values of a float32 conversion, rejecting NaN/Inf with the row and column named. */
function checkedFloat32(values: Values, width: number, start: number, column: (k: number) => string, where: string): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    out[i] = v;
    if (!Number.isFinite(out[i])) throw new Error(`${where}: row ${start + Math.floor(i / width)}, column ${column(i % width)} is ${out[i]}`);
  }
  return out;
}

function sliceRows(ds: Dataset, start: number, count: number, where: string): Values {
  if (count === 0) return [];
  try {
    return withHdf5Errors(() => ds.slice([[start, start + count]])) as Values;
  } catch (e) {
    throw new Error(
      `${where}: cannot read rows ${start}..${start + count} of '${ds.path}', the file is probably truncated or corrupt ` +
        `(${hdf5ErrorMessage(e)})`,
    );
  }
}

/** A 1-d numeric dataset of `rows` values to take labels from. */
function labelDataset(file: Hdf5File, name: string, rows: number, where: string): Dataset {
  const ds = file.get(name);
  if (!(ds instanceof h5wasm.Dataset)) throw new Error(`${where}: no label dataset '${name}'`);
  if (rank(ds) !== 1 || !isNumeric(ds)) throw new Error(`${where}: label dataset '${name}' is not a 1-d numeric dataset`);
  if (ds.shape![0] !== rows) throw new Error(`${where}: label dataset '${name}' has ${ds.shape![0]} rows, the data ${rows}`);
  checkDecodable(ds, where);
  return ds;
}

/** The path of the default label dataset next to the data in `parent`, if any. */
function defaultLabel(file: Hdf5File, parent: string): string | null {
  const group = (parent ? file.get(parent) : file) as InstanceType<typeof h5wasm.Group>;
  const prefix = parent ? `${parent}/` : '';
  const found = defaultLabelColumn(group.keys().filter((n) => file.get(prefix + n) instanceof h5wasm.Dataset));
  return found === undefined ? null : prefix + found;
}

function checkedRows(ds: Dataset, where: string): number {
  const rows = ds.shape![0];
  if (rows === 0) throw new Error(`${where}: dataset '${ds.path.replace(/^\//, '')}' holds no rows`);
  checkDecodable(ds, where);
  return rows;
}

function parentOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

// ---------------------------------------------------------------------------------------------------------
// (a) a 2-d dataset

function matrixColumnNames(file: Hdf5File, ds: Dataset, width: number, where: string): string[] {
  const parent = parentOf(ds.path.replace(/^\//, ''));
  const sibling = file.get(parent ? `${parent}/columns` : 'columns');
  const source = ds.attrs['columns']?.value ?? (sibling instanceof h5wasm.Dataset ? sibling.value : null);
  if (source === null) return Array.from({ length: width }, (_, k) => `f${k}`);
  const names = Array.isArray(source) ? source.map((v) => String(v).replace(/\0+$/, '')) : [];
  if (names.length !== width || new Set(names).size !== width) {
    throw new Error(`${where}: the 'columns' names (${names.length}) do not match the ${width} columns of '${ds.path}' one to one`);
  }
  return names;
}

function matrixPlan(file: Hdf5File, key: string, ds: Dataset, opts: ImportOptions, where: string): Plan {
  if (!isNumeric(ds)) throw new Error(`${where}: dataset '${key}' is not numeric (${dtypeName(ds.metadata)})`);
  const rows = checkedRows(ds, where);
  const width = ds.shape![1];
  const all = matrixColumnNames(file, ds, width, where);
  const labelInMatrix = opts.labelColumn !== undefined && all.includes(opts.labelColumn);
  const labelName = opts.labelColumn ?? defaultLabel(file, parentOf(key));
  const labelDs = labelName !== null && !labelInMatrix ? labelDataset(file, labelName, rows, where) : null;
  const columns = pick(opts.columns, all.filter((c) => !(labelInMatrix && c === opts.labelColumn)), `columns of '${key}'`, where);
  const index = columns.map((c) => all.indexOf(c));
  const labelIndex = labelInMatrix ? all.indexOf(opts.labelColumn!) : -1;
  // Values and a label inside the matrix come from the same rows: read them once.
  let last: { start: number; count: number; raw: Values } | null = null;
  const rowsOf = (start: number, count: number): Values => {
    if (last?.start !== start || last.count !== count) last = { start, count, raw: sliceRows(ds, start, count, where) };
    return last.raw;
  };
  return {
    kind: 'table',
    layout: 'matrix',
    key,
    rows,
    columns,
    constituents: 0,
    labelColumn: labelName,
    values(start, count) {
      const raw = rowsOf(start, count);
      const picked = new Float64Array(count * columns.length);
      for (let r = 0; r < count; r++) {
        for (let k = 0; k < index.length; k++) picked[r * index.length + k] = Number(raw[r * width + index[k]]);
      }
      return checkedFloat32(picked, columns.length, start, (k) => columns[k], where);
    },
    labels(start, count) {
      if (labelDs) return sliceRows(labelDs, start, count, where);
      if (labelIndex < 0) return null;
      const raw = rowsOf(start, count);
      return Float64Array.from({ length: count }, (_, r) => Number(raw[r * width + labelIndex]));
    },
  };
}

/** The chosen subset of `available`, in the order asked, or all of them. */
function pick(chosen: string[] | undefined, available: string[], what: string, where: string): string[] {
  if (chosen === undefined) return available;
  const unknown = chosen.filter((c) => !available.includes(c));
  if (unknown.length) {
    const names = unknown.map((c) => `'${c}'`).join(', ');
    throw new Error(`${where}: no column ${names} among the ${what} (${available.slice(0, 20).join(', ')})`);
  }
  if (chosen.length === 0) throw new Error(`${where}: the columns option chooses no column`);
  return chosen;
}

// ---------------------------------------------------------------------------------------------------------
// (b) 1-d datasets

function vectorPlan(file: Hdf5File, group: string, opts: ImportOptions, where: string): Plan {
  const prefix = group ? `${group}/` : '';
  const g = group ? file.get(group) : file;
  const names = (g as InstanceType<typeof h5wasm.Group>)
    .keys()
    .filter((n) => {
      const ds = file.get(prefix + n);
      return ds instanceof h5wasm.Dataset && rank(ds) === 1 && isNumeric(ds);
    });
  const labelName = opts.labelColumn ?? defaultLabelColumn(names) ?? null;
  if (labelName !== null && !names.includes(labelName)) {
    throw new Error(`${where}: no 1-d numeric dataset '${prefix}${labelName}' for the labels`);
  }
  const columns = pick(opts.columns, names.filter((n) => n !== labelName), `1-d numeric datasets${group ? ` of '${group}'` : ''}`, where);
  if (columns.length === 0) throw new Error(`${where}: no 1-d numeric datasets to use as columns${group ? ` in '${group}'` : ''}`);
  const sets = columns.map((c) => file.get(prefix + c) as Dataset);
  const lengths = new Set(sets.map((ds) => ds.shape![0]));
  if (lengths.size > 1) {
    const each = columns.map((c, k) => `${c}: ${sets[k].shape![0]}`).join(', ');
    throw new Error(`${where}: the 1-d datasets differ in length (${each}); choose columns of one length`);
  }
  const rows = checkedRows(sets[0], where);
  sets.forEach((ds) => checkDecodable(ds, where));
  const labelDs = labelName !== null ? labelDataset(file, prefix + labelName, rows, where) : null;
  return {
    kind: 'table',
    layout: 'columns',
    key: group,
    rows,
    columns,
    constituents: 0,
    labelColumn: labelName,
    values(start, count) {
      const out = new Float32Array(count * columns.length);
      sets.forEach((ds, k) => {
        const col = checkedFloat32(sliceRows(ds, start, count, where), 1, start, () => columns[k], where);
        for (let r = 0; r < count; r++) out[r * columns.length + k] = col[r];
      });
      return out;
    },
    labels: (start, count) => (labelDs ? sliceRows(labelDs, start, count, where) : null),
  };
}

// ---------------------------------------------------------------------------------------------------------
// (c) a pandas frame

function pandasPlan(file: Hdf5File, key: string, opts: ImportOptions, where: string): Plan {
  const frame = openPandasFrame(file, key, where);
  if (frame.rows === 0) throw new Error(`${where}: pandas key '${key}' holds no rows`);
  const labelName = opts.labelColumn ?? defaultLabelColumn(frame.columns) ?? null;
  if (labelName !== null && !frame.columns.includes(labelName)) {
    const why = frame.skipped.includes(labelName) ? 'is not numeric' : 'does not exist';
    throw new Error(`${where}: label column '${labelName}' of pandas key '${key}' ${why}`);
  }
  const numeric = frame.columns.filter((c) => c !== labelName);
  if (opts.columns) {
    const bad = opts.columns.find((c) => frame.skipped.includes(c));
    if (bad !== undefined) throw new Error(`${where}: column '${bad}' of pandas key '${key}' is not numeric`);
  }
  const columns = pick(opts.columns, numeric, `numeric columns of pandas key '${key}'`, where);
  const labelNames = labelName !== null ? [labelName] : null;
  return {
    kind: 'table',
    layout: 'pandas',
    key,
    rows: frame.rows,
    columns,
    constituents: 0,
    labelColumn: labelName,
    values: (start, count) => frame.read(start, count, columns),
    labels: (start, count) => (labelNames ? frame.read(start, count, labelNames, 'float64') : null),
  };
}

// ---------------------------------------------------------------------------------------------------------
// (d) jets

function jetsPlan(file: Hdf5File, key: string, ds: Dataset, opts: ImportOptions, where: string): Plan {
  const rows = checkedRows(ds, where);
  const constituents = ds.shape![1];
  const labelName = opts.labelColumn ?? defaultLabel(file, parentOf(key));
  const labelDs = labelName !== null ? labelDataset(file, labelName, rows, where) : null;
  const names = ['E', 'px', 'py', 'pz'];
  return {
    kind: 'jets',
    layout: 'jets',
    key,
    rows,
    columns: [],
    constituents,
    labelColumn: labelName,
    values(start, count) {
      const column = (k: number) => `${key}[${Math.floor(k / 4)}].${names[k % 4]}`;
      const p4 = checkedFloat32(sliceRows(ds, start, count, where), constituents * 4, start, column, where);
      orderByPt(p4, count, constituents);
      return p4;
    },
    labels: (start, count) => (labelDs ? sliceRows(labelDs, start, count, where) : null),
  };
}

// ---------------------------------------------------------------------------------------------------------

function planFor(file: Hdf5File, key: string, opts: ImportOptions, where: string): Plan {
  if (pandasKeys(file).includes(key)) return pandasPlan(file, key, opts, where);
  const entity = file.get(key);
  if (entity instanceof h5wasm.Group) return vectorPlan(file, key, opts, where);
  if (entity instanceof h5wasm.Dataset) {
    if (isJets(entity)) return jetsPlan(file, key, entity, opts, where);
    if (rank(entity) === 2) return matrixPlan(file, key, entity, opts, where);
    const shape = JSON.stringify(entity.shape);
    throw new Error(`${where}: dataset '${key}' has shape ${shape}; expected (N, F), (N, C, 4) or a group of 1-d datasets`);
  }
  const found = [...pandasKeys(file), ...datasets(file).keys()];
  throw new Error(`${where}: no dataset, group or pandas key '${key}' (found: ${found.join(', ') || 'nothing'})`);
}

/** The layout read without a key: 'features', else the only pandas frame, 2-d dataset, (N, C, 4) dataset, else root 1-d datasets. */
function defaultPlan(file: Hdf5File, opts: ImportOptions, where: string): Plan {
  const all = datasets(file);
  const features = all.get(FEATURES);
  if (features && rank(features) === 2) return matrixPlan(file, FEATURES, features, opts, where);
  const numeric = [...all.entries()].filter(([, ds]) => isNumeric(ds));
  const candidates: [string, string[]][] = [
    ['pandas DataFrames', pandasKeys(file)],
    ['2-d numeric datasets', numeric.filter(([, ds]) => rank(ds) === 2).map(([p]) => p)],
    ['(N, C, 4) datasets', numeric.filter(([, ds]) => isJets(ds)).map(([p]) => p)],
  ];
  for (const [what, keys] of candidates) {
    if (keys.length === 1) return planFor(file, keys[0], opts, where);
    if (keys.length > 1) throw new Error(`${where}: several ${what} (${keys.join(', ')}); choose one with the key option (--key)`);
  }
  if (numeric.some(([p, ds]) => !p.includes('/') && rank(ds) === 1)) return vectorPlan(file, '', opts, where);
  throw new Error(
    `${where}: nothing to import: no 2-d numeric dataset, (N, C, 4) dataset, pandas DataFrame or 1-d numeric datasets at the root`,
  );
}

function resolvePlan(file: Hdf5File, opts: ImportOptions, where: string): Plan {
  return opts.key !== undefined ? planFor(file, opts.key.replace(/^\//, ''), opts, where) : defaultPlan(file, opts, where);
}

/** Label names: the generator stamp's, else a name for each code found (checking every label once, in slices). */
function scannedLabelNames(plan: Plan, stamped: Record<string, string> | undefined, where: string): Record<string, string> {
  if (plan.labelColumn === null) return stamped ?? fileLabel(undefined).labelNames;
  const codes = new Set<number>();
  for (let start = 0; start < plan.rows; start += LABEL_SCAN_ROWS) {
    checkedLabels(plan, start, Math.min(LABEL_SCAN_ROWS, plan.rows - start), where).forEach((c) => codes.add(c));
  }
  return stamped ?? labelNamesOf(codes);
}

function checkedLabels(plan: Plan, start: number, count: number, where: string): Int8Array {
  const raw = plan.labels(start, count);
  if (raw === null) return new Int8Array(count).fill(UNLABELLED);
  const out = new Int8Array(count);
  for (let r = 0; r < count; r++) {
    const v = Number(raw[r]);
    const code = labelCode(v);
    if (code === null) {
      throw new Error(`${where}: row ${start + r}, label column ${plan.labelColumn} is ${v}, expected an integer in −1…127`);
    }
    out[r] = code;
  }
  return out;
}

/** Array names the store uses itself; a companion dataset may not take one. */
const STORE_NAMES = new Set(['features', 'labels', 'p4', 'particles', 'split', 'meta', 'columns']);

interface Companion {
  name: string;
  ds: Dataset;
  rowShape: number[];
}

/**
 * Numeric datasets beside a matrix with one entry per row (e.g. a jet mass, the intrinsic coordinates of
 * a manifold sample): kept with the dataset under their own names, so nothing a file pairs with its rows
 * is lost in the import.
 */
function companions(file: Hdf5File, plan: Plan): Companion[] {
  if (plan.layout !== 'matrix') return [];
  const parent = parentOf(plan.key);
  const out: Companion[] = [];
  for (const [path, ds] of datasets(file)) {
    const name = path.slice(parent ? parent.length + 1 : 0);
    if (parentOf(path) !== parent || path === plan.key || path === plan.labelColumn || name === plan.labelColumn) continue;
    if (STORE_NAMES.has(name) || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name) || !isNumeric(ds) || ds.shape?.[0] !== plan.rows) continue;
    out.push({ name, ds, rowShape: ds.shape.slice(1) });
  }
  return out;
}

/** Datasets, pandas keys and the default layout of a file, for the import wizard's preview. */
export async function describeHdf5(path: string): Promise<Hdf5Description> {
  await h5wasm.ready;
  const where = `HDF5 file ${path}`;
  const { file, description } = openWithLayout(path, where, (f) => ({ file: f, description: describe(f, where) }));
  file.close();
  return description;
}

function describe(file: Hdf5File, where: string): Hdf5Description {
  const list = [...datasets(file).entries()].map(([p, ds]) => ({ path: p, shape: ds.shape ?? [], dtype: dtypeName(ds.metadata) }));
  let suggested: Hdf5Description['suggested'] = { columns: [] };
  try {
    const plan = defaultPlan(file, {}, where);
    suggested = {
      ...(plan.key ? { key: plan.key } : {}),
      columns: plan.columns,
      ...(plan.labelColumn !== null ? { labelColumn: plan.labelColumn } : {}),
    };
  } catch {
    // No default layout: the wizard asks for a key, and the datasets listed let the user choose one.
  }
  return { datasets: list, pandasKeys: pandasKeys(file), suggested };
}

/**
 * Any HDF5 file in one of the four layouts as a DatasetSource of kind 'table' (features) or 'jets' (p4). Options:
 * key (dataset, group or pandas key), columns, labelColumn, label (one label for every row).
 */
export async function openHdf5Source(path: string, opts: ImportOptions): Promise<DatasetSource> {
  await h5wasm.ready;
  const where = `HDF5 file ${path}`;
  // A label given by the user (e.g. 'signal' for a file of signal events) wins over the file's labels.
  const whole = opts.label !== undefined ? wholeFileLabel(opts.label) : null;
  const { file, plan, labelNames, stamp, extra } = openWithLayout(path, where, (f) => {
    const stamp = readGeneratorStamp(f, where);
    const plan = resolvePlan(f, opts, where);
    return { file: f, plan, stamp, extra: companions(f, plan), labelNames: whole?.labelNames ?? scannedLabelNames(plan, stamp?.labelNames, where) };
  });
  const data =
    plan.kind === 'jets'
      ? { name: 'p4', dtype: 'float32' as const, rowShape: [plan.constituents, 4] }
      : { name: 'features', dtype: 'float32' as const, rowShape: [plan.columns.length] };
  let open = true;
  return {
    path,
    format: 'hdf5',
    kind: plan.kind,
    rows: plan.rows,
    arrays: [data, { name: 'labels', dtype: 'int8', rowShape: [] }, ...extra.map((c) => ({ name: c.name, dtype: 'float32' as const, rowShape: c.rowShape }))],
    ...(plan.kind === 'table' ? { columns: plan.columns } : {}),
    labelNames,
    meta: {
      layout: plan.layout,
      key: plan.key,
      ...(whole ? { label: opts.label } : plan.labelColumn !== null ? { labelColumn: plan.labelColumn } : {}),
      ...(stamp ? { generator: stamp } : {}),
    },
    read: async (start, count) => {
      if (!open) throw new Error(`${where}: reader is closed`);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > plan.rows) {
        throw new Error(`${where}: rows ${start}..${start + count} are outside 0..${plan.rows}`);
      }
      const labels = whole ? new Int8Array(count).fill(whole.code) : checkedLabels(plan, start, count, where);
      const out: Record<string, Float32Array | Int8Array> = { [data.name]: plan.values(start, count), labels };
      for (const c of extra) {
        const width = c.rowShape.reduce((a, b) => a * b, 1);
        out[c.name] = checkedFloat32(sliceRows(c.ds, start, count, where), width, start, (k) => (width === 1 ? c.name : `${c.name}[${k}]`), where);
      }
      return out;
    },
    close: () => {
      if (open) file.close();
      open = false;
    },
  };
}
