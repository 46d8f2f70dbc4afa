// Complexity-bias diagnostics of the inverted task (Finke et al.): how the anomaly score of each class
// follows the jet's constituent multiplicity (sparse jets reconstruct easily and score low, whatever
// they are), and the mean input image of each class with its mean reconstruction.
import { join } from 'node:path';
import type { RunDetail } from '@shared/api';
import { NpyRowReader } from '../data/store/npy-stream';
import { DATA_FILE } from '../represent/represent-dataset';
import type { StudyRunner } from './run-study';

/** Width of the multiplicity bins of the score profile. */
const MULTIPLICITY_BIN = 5;

export interface ClassDiagnostics {
  /** Profile of the score in bins of multiplicity: bin lower edges, mean score, events. */
  multiplicity: { low: number[]; meanScore: number[]; events: number[] };
  /** Pearson correlation between score and multiplicity. */
  correlation: number;
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
 * rows (0 = the trained class, 1 = the tagged one).
 */
export async function complexityDiagnostics(runner: StudyRunner, run: RunDetail, datasets: string[]): Promise<ClassDiagnostics[]> {
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
    out.push({ multiplicity: profile(multiplicity, s), correlation: pearson(multiplicity, s) });
  }
  return out;
}

/** Five significant digits: enough for a plot, and the results JSON stays small. */
const round = (v: number) => Number(v.toPrecision(5));

/**
 * The mean test image of the background (0) and signal (1) class of a jet-image run, and the mean of their
 * reconstructions (the run's `mean-input.npy` / `mean-reconstruction.npy`, recorded while scoring), as
 * rows × columns of `pixels`.
 */
export function meanImages(runner: StudyRunner, run: RunDetail, pixels: number): { input: number[][][]; reconstruction: number[][][] } {
  const images = (name: string) => {
    const data = runner.artifact(run, name);
    if (data.length !== 2 * pixels * pixels) throw new Error(`run ${run.id}: ${name} holds ${data.length} values, expected 2 × ${pixels} × ${pixels}`);
    return [0, 1].map((c) => Array.from({ length: pixels }, (_, y) => Array.from(data.subarray((c * pixels + y) * pixels, (c * pixels + y + 1) * pixels), round)));
  };
  return { input: images('mean-input.npy'), reconstruction: images('mean-reconstruction.npy') };
}
