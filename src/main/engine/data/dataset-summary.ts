// `datasets.summary`: per-class observable histograms of a stored dataset (and, for jets, the mean jet
// image per class), computed once and kept in the dataset's folder keyed by its content hash.
// Observables and images come from the representation cache (computed in a worker, reused by training).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetSummary, type DatasetInfo, type MeanJetImage, type ObservableHistogram } from '@shared/api';
import { writeFileDurably } from '../durable-file';
import { DATA_FILE } from '../represent/represent-dataset';
import { represent } from '../represent/representation-cache';
import type { Representation } from '../represent/representation';
import type { TaskContext } from '../tasks';
import { datasetFolder, StoredDataset } from './store/dataset-store';
import { NpyRowReader } from './store/npy-stream';
import { classHistogram, className, rowsByClass } from './summary-histograms';

export const SUMMARY_FILE = 'summary.json';
/** Bump when the summary's numbers change, so that summaries made by older code are recomputed. */
export const SUMMARY_VERSION = 1;
/** The plain image of the jet-images representation: 40 × 40 over ±0.8, pT-normalised, no intensity transform. */
const IMAGE_PIXELS = 40;
const IMAGE_RANGE = 0.8;
export const SUMMARY_IMAGE: Representation = { kind: 'jet-images', pixels: IMAGE_PIXELS, range: IMAGE_RANGE, transform: 'none' };
const IMAGE_CHUNK_ROWS = 2048;

/** Observable key in the representation → axis title (units in brackets). */
const JET_AXES: Record<string, string> = {
  mass: 'jet mass [GeV]',
  pt: 'jet pT [GeV]',
  multiplicity: 'constituent multiplicity',
  tau21: 'τ21',
  tau32: 'τ32',
};
const EVENT_AXES: Record<string, string> = {
  ht: 'HT [GeV]',
  met: 'MET [GeV]',
  n_jets: 'jet multiplicity',
  n_leptons: 'lepton multiplicity',
  mjj: 'm_jj [GeV]',
  mll: 'm_ll [GeV]',
};

type Classes = Map<string, Uint32Array>;

/** One column of a rows × width matrix. */
function column(matrix: Float32Array, width: number, c: number): Float32Array {
  const out = new Float32Array(matrix.length / width);
  for (let r = 0; r < out.length; r++) out[r] = matrix[r * width + c];
  return out;
}

function readAll(path: string): { data: Float32Array; width: number } {
  const r = new NpyRowReader(path);
  try {
    return { data: r.read(0, r.rows) as Float32Array, width: r.rowLength };
  } finally {
    r.close();
  }
}

function histogramsOf(matrix: Float32Array, width: number, columns: readonly string[], axes: Record<string, string> | null, classes: Classes): ObservableHistogram[] {
  const wanted = axes ? Object.keys(axes) : [...columns];
  return wanted.map((key) => classHistogram(key, axes?.[key] ?? key, column(matrix, width, columns.indexOf(key)), classes));
}

/** Mean image per class, streamed over the cached images so memory stays at one chunk. */
function meanImages(path: string, labels: Int8Array, labelNames: Record<string, string>): MeanJetImage[] {
  const r = new NpyRowReader(path);
  try {
    const pixels = r.rowLength;
    const sums = new Map<string, { sum: Float64Array; rows: number }>();
    for (let start = 0; start < r.rows; start += IMAGE_CHUNK_ROWS) {
      const count = Math.min(IMAGE_CHUNK_ROWS, r.rows - start);
      const chunk = r.read(start, count) as Float32Array;
      for (let i = 0; i < count; i++) {
        const name = className(labelNames, labels[start + i]);
        let acc = sums.get(name);
        if (!acc) sums.set(name, (acc = { sum: new Float64Array(pixels), rows: 0 }));
        acc.rows++;
        for (let p = 0, k = i * pixels; p < pixels; p++, k++) acc.sum[p] += chunk[k];
      }
    }
    return [...sums].map(([label, { sum, rows }]) => ({ label, rows, pixels: IMAGE_PIXELS, range: IMAGE_RANGE, values: Array.from(sum, (s) => s / rows) }));
  } finally {
    r.close();
  }
}

async function observables(home: string, info: DatasetInfo, task: TaskContext, classes: Classes): Promise<ObservableHistogram[]> {
  if (info.kind === 'table') {
    const ds = new StoredDataset(home, info);
    try {
      const width = info.shapes.features[1];
      return histogramsOf(ds.array('features').read(0, info.rows) as Float32Array, width, info.columns ?? [], null, classes);
    } finally {
      ds.close();
    }
  }
  const spec: Representation = info.kind === 'jets' ? { kind: 'jet-observables' } : { kind: 'event-observables' };
  const repr = await represent(home, info, spec, task);
  const { data, width } = readAll(join(repr.folder, DATA_FILE));
  return histogramsOf(data, width, repr.columns ?? [], info.kind === 'jets' ? JET_AXES : EVENT_AXES, classes);
}

function cachedSummary(file: string, info: DatasetInfo): DatasetSummary | null {
  if (!existsSync(file)) return null;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; summary?: unknown };
    const parsed = DatasetSummary.safeParse(saved.summary);
    // A summary of other data (or made by other code) is recomputed, never shown.
    if (saved.version !== SUMMARY_VERSION || !parsed.success || parsed.data.contentHash !== info.contentHash) return null;
    return { ...parsed.data, cached: true };
  } catch {
    return null;
  }
}

export async function datasetSummary(home: string, info: DatasetInfo, task: TaskContext): Promise<DatasetSummary> {
  const file = join(datasetFolder(home, info.id), SUMMARY_FILE);
  const cached = cachedSummary(file, info);
  if (cached) return cached;
  const ds = new StoredDataset(home, info);
  let labels: Int8Array;
  try {
    labels = ds.array('labels').read(0, info.rows) as Int8Array;
  } finally {
    ds.close();
  }
  const classes = rowsByClass(labels, info.labelNames);
  const histograms = await observables(home, info, task, classes);
  let jetImages: MeanJetImage[] | null = null;
  if (info.kind === 'jets') {
    const images = await represent(home, info, SUMMARY_IMAGE, task);
    jetImages = meanImages(join(images.folder, DATA_FILE), labels, info.labelNames);
  }
  const rowsByLabel = Object.fromEntries([...classes].map(([k, v]) => [k, v.length]));
  const summary: DatasetSummary = { id: info.id, contentHash: info.contentHash, kind: info.kind, rowsByLabel, histograms, jetImages, cached: false };
  writeFileDurably(file, JSON.stringify({ version: SUMMARY_VERSION, summary }));
  return summary;
}
