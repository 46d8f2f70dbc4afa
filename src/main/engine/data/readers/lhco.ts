// Reader for the LHC Olympics 2020 files (physics.md §1.3): a pandas store with one DataFrame of 700 hadrons ×
// (pT, η, φ) per event = 2100 columns, plus a final label column in the R&D file (0 background, 1 signal);
// the black boxes have no label column, their labels come from a separate .masterkey text file.
// Hadrons are massless, so each becomes (E, px, py, pz) = pT (cosh η, cos φ, sin φ, sinh η).
import { readFileSync } from 'node:fs';
import h5wasm from 'h5wasm/node';
import { fileLabel, labelNamesOf, wholeFileLabel } from '../labels';
import { UNLABELLED, type DatasetSource, type ImportOptions } from '../source';
import { hdf5ErrorMessage, openWithLayout, type Hdf5File } from './hdf5-file';
import { openPandasFrame, pandasKeys, type PandasFrame } from './pandas-store';

export const LHCO_HADRONS = 700;
const HADRON_COLUMNS = LHCO_HADRONS * 3;
const LABEL_NAMES = labelNamesOf([0, 1]);

/** Number of values per row of a pandas frame, from the dataset shapes alone (no data read, so compressed files count too). */
function frameWidth(file: Hdf5File, key: string): number {
  const group = file.get(key) as InstanceType<typeof h5wasm.Group>;
  const table = group.get('table');
  if (table instanceof h5wasm.Dataset) {
    const members = table.metadata.compound_type?.members ?? [];
    return members.filter((m) => m.name !== 'index').reduce((sum, m) => sum + (m.array_type ? m.array_type.total_size : 1), 0);
  }
  let width = 0;
  for (let b = 0; ; b++) {
    const values = group.get(`block${b}_values`);
    if (!(values instanceof h5wasm.Dataset)) return width;
    width += values.shape?.[1] ?? 0;
  }
}

/** True when the file holds a pandas frame 2100 or 2101 values wide: the LHC Olympics layout. */
export function looksLikeLhco(file: Hdf5File): boolean {
  return pandasKeys(file).some((key) => {
    const width = frameWidth(file, key);
    return width === HADRON_COLUMNS || width === HADRON_COLUMNS + 1;
  });
}

/** The permutation that sorts `pt` by decreasing value (stable), or null if it is sorted already. */
function ptOrder(pt: Float64Array): number[] | null {
  let sorted = true;
  for (let c = 1; c < pt.length && sorted; c++) sorted = pt[c] <= pt[c - 1];
  if (sorted) return null;
  // Most slots are zero padding: sort only the particles and keep the padding, in order, at the end.
  const hard: number[] = [];
  const padding: number[] = [];
  pt.forEach((v, c) => (v > 0 ? hard : padding).push(c));
  return hard.sort((x, y) => pt[y] - pt[x]).concat(padding);
}

/**
 * Sorts the constituents of each of `count` jets (count × constituents × 4, (E, px, py, pz)) by decreasing pT, in
 * place, as DatasetSource promises. Rows already in order (the usual case) cost one pass.
 */
export function orderByPt(p4: Float32Array, count: number, constituents: number): void {
  const pt = new Float64Array(constituents);
  for (let j = 0; j < count; j++) {
    const base = j * constituents * 4;
    for (let c = 0; c < constituents; c++) pt[c] = Math.hypot(p4[base + 4 * c + 1], p4[base + 4 * c + 2]);
    const order = ptOrder(pt);
    if (!order) continue;
    const jet = p4.slice(base, base + constituents * 4);
    order.forEach((from, to) => p4.set(jet.subarray(4 * from, 4 * from + 4), base + 4 * to));
  }
}

function chooseKey(file: Hdf5File, opts: ImportOptions, where: string): string {
  if (opts.key !== undefined) return opts.key;
  const keys = pandasKeys(file);
  if (keys.length === 1) return keys[0];
  if (keys.length === 0) throw new Error(`${where}: no pandas DataFrame in the file (top-level entries: ${file.keys().join(', ') || 'none'})`);
  throw new Error(`${where}: several pandas keys (${keys.join(', ')}); choose one with the key option (--key)`);
}

/** Labels from a .masterkey file: one 0, 1 or 2 per line, as many lines as the HDF5 file has rows. */
function readMasterkey(path: string, rows: number): Int8Array {
  const where = `LHCO masterkey file ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${where}: cannot be read (${hdf5ErrorMessage(e)})`);
  }
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length !== rows) throw new Error(`${where}: ${lines.length} labels for ${rows} events`);
  const labels = new Int8Array(rows);
  lines.forEach((line, i) => {
    const v = Number(line.trim());
    if (line.trim() === '' || !(v === 0 || v === 1 || v === 2)) throw new Error(`${where}: line ${i + 1} is '${line}', expected 0, 1 or 2`);
    labels[i] = v;
  });
  return labels;
}

interface Layout {
  frame: PandasFrame;
  hadronColumns: readonly string[];
  labelColumn: readonly string[] | null;
}

function layout(file: Hdf5File, opts: ImportOptions, where: string): Layout {
  const frame = openPandasFrame(file, chooseKey(file, opts, where), where);
  const n = frame.columns.length;
  if (frame.skipped.length > 0 || (n !== HADRON_COLUMNS && n !== HADRON_COLUMNS + 1)) {
    throw new Error(
      `${where}: pandas key '${frame.key}' has ${n} numeric columns` +
        (frame.skipped.length ? ` and ${frame.skipped.length} others` : '') +
        `, expected ${HADRON_COLUMNS} (${LHCO_HADRONS} hadrons × pT, η, φ) or ${HADRON_COLUMNS + 1} (with the label last)`,
    );
  }
  if (frame.rows === 0) throw new Error(`${where}: pandas key '${frame.key}' holds no events`);
  return {
    frame,
    hadronColumns: frame.columns.slice(0, HADRON_COLUMNS),
    labelColumn: n > HADRON_COLUMNS ? [frame.columns[HADRON_COLUMNS]] : null,
  };
}

/**
 * (pT, η, φ) × 700 per row, float64 → (E, px, py, pz) × 700 float32, ordered by the stored pT (exact, unlike a pT
 * recomputed from rounded momenta). Rejects negative pT.
 */
function fourMomenta(ptEtaPhi: Float64Array, count: number, start: number, names: readonly string[], where: string): Float32Array {
  const p4 = new Float32Array(count * LHCO_HADRONS * 4);
  const pt = new Float64Array(LHCO_HADRONS);
  for (let r = 0; r < count; r++) {
    const row = ptEtaPhi.subarray(r * HADRON_COLUMNS, (r + 1) * HADRON_COLUMNS);
    for (let h = 0; h < LHCO_HADRONS; h++) {
      pt[h] = row[3 * h];
      if (pt[h] < 0) throw new Error(`${where}: row ${start + r}, column ${names[3 * h]} is ${pt[h]}, a negative pT`);
    }
    const order = ptOrder(pt);
    for (let to = 0; to < LHCO_HADRONS; to++) {
      const h = order ? order[to] : to;
      if (pt[h] === 0) continue; // zero padding stays all-zero whatever η and φ hold
      const eta = row[3 * h + 1];
      const phi = row[3 * h + 2];
      const at = (r * LHCO_HADRONS + to) * 4;
      p4[at] = pt[h] * Math.cosh(eta);
      p4[at + 1] = pt[h] * Math.cos(phi);
      p4[at + 2] = pt[h] * Math.sin(phi);
      p4[at + 3] = pt[h] * Math.sinh(eta);
      if (!Number.isFinite(p4[at] + p4[at + 3])) {
        throw new Error(`${where}: row ${start + r}, column ${names[3 * h + 1]} is ${eta}, too large a pseudorapidity for float32 momenta`);
      }
    }
  }
  return p4;
}

/**
 * An LHC Olympics 2020 file as a DatasetSource of kind 'jets' (p4 [700, 4]). `opts.key` picks the pandas key when
 * there are several; `opts.masterkey` names a black box's label file (it wins over a label column); `opts.label`
 * gives every row one label ('background' → 0, anything else → 1) and wins over both.
 */
export async function openLhcoSource(path: string, opts: ImportOptions): Promise<DatasetSource> {
  await h5wasm.ready;
  const where = `LHCO file ${path}`;
  const { file, frame, hadronColumns, labelColumn } = openWithLayout(path, where, (f) => ({ file: f, ...layout(f, opts, where) }));
  let masterkey: Int8Array | null;
  try {
    masterkey = opts.masterkey !== undefined ? readMasterkey(opts.masterkey, frame.rows) : null;
  } catch (e) {
    file.close();
    throw e;
  }
  // A label given by the user (e.g. 'signal' for the three-prong signal file) wins over the file's labels.
  const whole = opts.label !== undefined ? wholeFileLabel(opts.label) : null;
  const labelNames: Record<string, string> = whole
    ? whole.labelNames
    : masterkey !== null
      ? { ...LABEL_NAMES, ...(masterkey.includes(2) ? { '2': 'signal 2' } : {}) }
      : labelColumn
        ? LABEL_NAMES
        : fileLabel(undefined).labelNames;
  let open = true;
  return {
    path,
    format: 'lhco',
    kind: 'jets',
    rows: frame.rows,
    arrays: [
      { name: 'p4', dtype: 'float32', rowShape: [LHCO_HADRONS, 4] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ],
    labelNames,
    meta: {
      pandasFormat: frame.format,
      key: frame.key,
      labelSource: whole ? 'user' : masterkey !== null ? 'masterkey' : labelColumn ? 'label column' : 'none',
      ...(opts.masterkey !== undefined ? { masterkey: opts.masterkey } : {}),
    },
    read: async (start, count) => {
      if (!open) throw new Error(`${where}: reader is closed`);
      const p4 = fourMomenta(frame.read(start, count, hadronColumns, 'float64'), count, start, hadronColumns, where);
      return { p4, labels: labels(start, count) };
    },
    close: () => {
      if (open) file.close();
      open = false;
    },
  };

  function labels(start: number, count: number): Int8Array {
    if (whole) return new Int8Array(count).fill(whole.code);
    if (masterkey !== null) return masterkey.slice(start, start + count);
    if (!labelColumn) return new Int8Array(count).fill(UNLABELLED);
    const values = frame.read(start, count, labelColumn, 'float64');
    return Int8Array.from(values, (v, r) => {
      if (v !== 0 && v !== 1) throw new Error(`${where}: row ${start + r}, column ${labelColumn[0]} (the label) is ${v}, expected 0 or 1`);
      return v;
    });
  }
}
