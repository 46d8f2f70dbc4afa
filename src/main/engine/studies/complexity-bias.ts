// Complexity-bias diagnostics of the inverted task (Finke et al.): how the anomaly score of each class
// follows the jet's constituent multiplicity (sparse jets reconstruct easily and score low, whatever
// they are), and the mean input image of each class.
import { join } from 'node:path';
import type { RunDetail } from '@shared/api';
import { NpyRowReader } from '../data/store/npy-stream';
import type { Representation } from '../represent/representation';
import { DATA_FILE } from '../represent/represent-dataset';
import type { StudyRunner } from './run-study';

/** Width of the multiplicity bins of the score profile. */
const MULTIPLICITY_BIN = 5;

export interface ClassDiagnostics {
  /** Profile of the score in bins of multiplicity: bin lower edges, mean score, events. */
  multiplicity: { low: number[]; meanScore: number[]; events: number[] };
  /** Pearson correlation between score and multiplicity. */
  correlation: number;
  /** Mean test image (rows × columns) for image representations, else null. */
  meanImage: number[][] | null;
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

function profile(multiplicity: number[], scores: number[]): ClassDiagnostics['multiplicity'] {
  const bins = new Map<number, { sum: number; n: number }>();
  multiplicity.forEach((m, i) => {
    const low = Math.floor(m / MULTIPLICITY_BIN) * MULTIPLICITY_BIN;
    const b = bins.get(low) ?? { sum: 0, n: 0 };
    b.sum += scores[i];
    b.n++;
    bins.set(low, b);
  });
  const lows = [...bins.keys()].sort((a, b) => a - b);
  return { low: lows, meanScore: lows.map((l) => bins.get(l)!.sum / bins.get(l)!.n), events: lows.map((l) => bins.get(l)!.n) };
}

/**
 * Diagnostics per class of one scored run: `datasets[k]` is the dataset behind source k of the run's test
 * rows (0 = the trained class, 1 = the tagged one), `spec` the run's representation.
 */
export async function complexityDiagnostics(runner: StudyRunner, run: RunDetail, datasets: string[], spec: Representation): Promise<ClassDiagnostics[]> {
  const scores = runner.artifact(run, 'scores.npy') as Float32Array;
  const source = runner.artifact(run, 'source.npy') as Int8Array;
  const rows = runner.artifact(run, 'rows.npy') as Int32Array;
  const out: ClassDiagnostics[] = [];
  for (let k = 0; k < datasets.length; k++) {
    const idx = [...source.keys()].filter((i) => source[i] === k);
    const datasetRows = idx.map((i) => rows[i]);
    const obs = await runner.representation(datasets[k], { kind: 'jet-observables' });
    const reader = new NpyRowReader(join(obs.folder, DATA_FILE));
    let multiplicity: number[];
    try {
      const col = obs.columns!.indexOf('multiplicity');
      const values = reader.gather(datasetRows) as Float32Array;
      multiplicity = datasetRows.map((_, j) => values[j * obs.columns!.length + col]);
    } finally {
      reader.close();
    }
    const s = idx.map((i) => scores[i]);
    out.push({ multiplicity: profile(multiplicity, s), correlation: pearson(multiplicity, s), meanImage: spec.kind === 'jet-images' ? await meanImage(runner, datasets[k], spec, datasetRows) : null });
  }
  return out;
}

async function meanImage(runner: StudyRunner, dataset: string, spec: Representation, rows: number[]): Promise<number[][]> {
  const rep = await runner.representation(dataset, spec);
  const reader = new NpyRowReader(join(rep.folder, DATA_FILE));
  try {
    const [h, w] = reader.rowShape;
    const images = reader.gather(rows) as Float32Array;
    const mean = Array.from({ length: h }, () => new Array<number>(w).fill(0));
    for (let r = 0; r < rows.length; r++) for (let p = 0; p < h * w; p++) mean[Math.floor(p / w)][p % w] += images[r * h * w + p] / rows.length;
    return mean;
  } finally {
    reader.close();
  }
}
