// The arrays behind an export as files: a scored run's test scores with labels and masses, its ROC, and
// (on request) its .npy arrays byte for byte. Every number is printed so that it parses back to exactly
// the value the registry stores, so a CSV can stand in for the .npy files in a paper's supplement.
import { readFileSync } from 'node:fs';
import type { RunDetail } from '@shared/api';
import { toCsv } from '@shared/plots/plot-style';
import { parseNpy } from '../data/npy';
import type { Registry } from '../registry/registry';

/** A file of an export: its path relative to the export folder and its bytes or text. */
export interface ExportFile {
  path: string;
  data: Uint8Array | string;
}

/**
 * The shortest decimal that reads back as the same float32 (scores and masses are stored as float32):
 * 0.1f prints as "0.1", not as its float64 expansion 0.10000000149011612.
 */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p < 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return String(d);
  }
  return String(x); // float64 text of a float32 value always reads back to it
}

/** A number column's text: float32 arrays with float32Text, integers and float64 as JavaScript prints them. */
function columnText(data: ArrayLike<number>, float32: boolean): (i: number) => string {
  return float32 ? (i) => float32Text(data[i]) : (i) => String(data[i]);
}

function runArray(registry: Registry, run: RunDetail, name: string): { data: ArrayLike<number>; float32: boolean } | null {
  const a = run.artifacts.find((x) => x.name === name);
  if (!a) return null;
  const file = registry.artifactFile(a);
  const { data } = parseNpy(new Uint8Array(readFileSync(file)), file);
  if (data instanceof BigInt64Array) throw new Error(`${file}: 64-bit integers where scores, labels or masses were expected`);
  return { data, float32: data instanceof Float32Array };
}

/** scores.csv: one test row per line, `score,label,mass` (mass empty where the dataset has none). */
export function scoresCsv(scores: { data: ArrayLike<number>; float32: boolean }, labels: ArrayLike<number>, mass: { data: ArrayLike<number>; float32: boolean } | null, what: string): string {
  const n = scores.data.length;
  if (labels.length !== n || (mass && mass.data.length !== n)) {
    throw new Error(`${what}: scores (${n}), labels (${labels.length})${mass ? ` and masses (${mass.data.length})` : ''} differ in length`);
  }
  const score = columnText(scores.data, scores.float32);
  const m = mass ? columnText(mass.data, mass.float32) : () => '';
  const lines = ['score,label,mass'];
  for (let i = 0; i < n; i++) lines.push(`${score(i)},${labels[i]},${m(i)}`);
  return `${lines.join('\n')}\n`;
}

/** roc.csv from the run's stored roc.json: the (downsampled) test ROC, false and true positive rates. */
export function rocCsv(rocJson: string, what: string): string {
  const { fpr, tpr } = JSON.parse(rocJson) as { fpr?: unknown; tpr?: unknown };
  if (!Array.isArray(fpr) || !Array.isArray(tpr) || fpr.length !== tpr.length) throw new Error(`${what}: roc.json has no fpr/tpr arrays of equal length`);
  return toCsv(['fpr', 'tpr'], fpr.map((f, i) => [f as number, tpr[i] as number]));
}

interface BumpCut {
  efficiency: number;
  events: number;
  signalEvents: number | null;
  skipped: string | null;
  fit: { params: number[]; errors: number[]; chi2: number; ndf: number } | null;
  best: { mLow: number; mHigh: number; observed: number; expected: number; sigmaB: number; z: number; zWithSigmaB: number } | null;
  globalZ: { z: number; toys: number; lowerBound: boolean } | null;
}

/**
 * fit-results.csv of a bump-hunt study: per score cut, the dijet fit (p0…p3 with errors, χ², ndf) and the
 * best window (mass range, observed and expected events, σ_b, local Z without and with σ_b, global Z).
 */
export function bumpFitCsv(metrics: Record<string, unknown>, what: string): string {
  const cuts = metrics.cuts;
  if (!Array.isArray(cuts)) throw new Error(`${what}: the bump-hunt results have no cuts`);
  const p = [0, 1, 2, 3];
  const header = ['efficiency', 'events', 'signal_events', ...p.map((i) => `p${i}`), ...p.map((i) => `p${i}_error`), 'chi2', 'ndf', 'window_low [GeV]', 'window_high [GeV]', 'observed', 'expected', 'sigma_b', 'local_z', 'local_z_with_sigma_b', 'global_z', 'global_z_is_lower_bound', 'toys', 'skipped'];
  const rows = (cuts as BumpCut[]).map((c) => [
    c.efficiency,
    c.events,
    c.signalEvents,
    ...p.map((i) => c.fit?.params[i] ?? null),
    ...p.map((i) => c.fit?.errors[i] ?? null),
    c.fit?.chi2 ?? null,
    c.fit?.ndf ?? null,
    c.best?.mLow ?? null,
    c.best?.mHigh ?? null,
    c.best?.observed ?? null,
    c.best?.expected ?? null,
    c.best?.sigmaB ?? null,
    c.best?.z ?? null,
    c.best?.zWithSigmaB ?? null,
    c.globalZ?.z ?? null,
    c.globalZ ? String(c.globalZ.lowerBound) : null,
    c.globalZ?.toys ?? null,
    c.skipped,
  ]);
  return toCsv(header, rows);
}

/** The data files of one scored run under `dir`: with `csv` scores.csv and roc.csv, with `npy` copies of its .npy arrays. */
export function runDataFiles(registry: Registry, run: RunDetail, dir: string, opts: { csv: boolean; npy: boolean }): ExportFile[] {
  const what = `run ${run.id} (${run.name})`;
  const files: ExportFile[] = [];
  if (opts.npy) {
    for (const a of run.artifacts.filter((x) => x.name.endsWith('.npy'))) files.push({ path: `${dir}/${a.name}`, data: new Uint8Array(readFileSync(registry.artifactFile(a))) });
  }
  if (!opts.csv) return files;
  const scores = runArray(registry, run, 'scores.npy');
  const labels = runArray(registry, run, 'labels.npy');
  if (scores && labels) files.push({ path: `${dir}/scores.csv`, data: scoresCsv(scores, labels.data, runArray(registry, run, 'mass.npy'), what) });
  const roc = run.artifacts.find((a) => a.name === 'roc.json');
  if (roc) files.push({ path: `${dir}/roc.csv`, data: rocCsv(readFileSync(registry.artifactFile(roc), 'utf8'), what) });
  return files;
}
