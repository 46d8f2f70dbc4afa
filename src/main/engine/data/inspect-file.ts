// `datasets.inspect`: what an import of a file would see — the reader, the kind, the rows, the columns a
// generic file offers, the first rows and the label counts — read through the same readers as the import,
// so the preview never disagrees with what gets stored.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError, type FileInspection, type InspectParams } from '@shared/api';
import type { z } from 'zod';
import { jetKinematics } from '@shared/physics/kinematics';
import { eventObservables } from '../represent/observables';
import { detectFormat, openSource } from './formats';
import type { DatasetSource, ImportOptions } from './source';
import { className } from './summary-histograms';

type InspectRequest = z.infer<typeof InspectParams>;
type Cell = number | string | null;

export const PREVIEW_ROWS = 10;
/** Label counts read at most this many stored values (≈ 64 MB of float32), in chunks of CHUNK_ROWS rows. */
export const COUNT_VALUES = 16_000_000;
const CHUNK_ROWS = 4096;

/** About 6 significant digits: enough to recognise a value, short enough for a table cell. */
export function roundCell(x: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(6)) : x;
}

function optionsOf(p: InspectRequest): ImportOptions {
  const { columns, labelColumn, label, key, tree, masterkey } = p;
  const opts: ImportOptions = { columns, labelColumn, label, key, tree, masterkey: masterkey === undefined ? undefined : resolve(masterkey) };
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
}

/** A reader's refusal of a file is the user's to fix: a bad request, with the reader's message (which names the file). */
async function open(path: string, format: InspectRequest['format'], opts: ImportOptions): Promise<DatasetSource> {
  try {
    return await openSource(path, format, opts);
  } catch (e) {
    throw e instanceof ApiError ? e : new ApiError((e as Error).message, 'bad-request');
  }
}

function rowValues(source: DatasetSource): number {
  const main = source.arrays.find((a) => a.name !== 'labels');
  return Math.max(1, (main?.rowShape ?? []).reduce((a, b) => a * b, 1));
}

const labelName = (source: DatasetSource, code: number): string => className(source.labelNames, code);

/** The first rows as a table: per-jet and per-event summaries rather than hundreds of raw numbers. */
function previewTable(source: DatasetSource, rows: Record<string, Float32Array | Int8Array>, n: number): FileInspection['preview'] {
  const labels = rows.labels as Int8Array;
  const label = (i: number): Cell => labelName(source, labels[i]);
  if (source.kind === 'jets') {
    const p4 = rows.p4 as Float32Array;
    const nConst = n > 0 ? p4.length / (n * 4) : 0;
    const k = jetKinematics(p4, n, nConst);
    return {
      header: ['constituents', 'pT [GeV]', 'η', 'mass [GeV]', 'label'],
      rows: Array.from({ length: n }, (_, i) => [k.multiplicity[i], roundCell(k.pt[i]), roundCell(k.eta[i]), roundCell(k.mass[i]), label(i)]),
    };
  }
  if (source.kind === 'events') {
    const o = eventObservables(rows.particles, n);
    return {
      header: ['HT [GeV]', 'MET [GeV]', 'jets', 'leptons', 'm_jj [GeV]', 'label'],
      rows: Array.from({ length: n }, (_, i) => [roundCell(o.ht[i]), roundCell(o.met[i]), o.nJets[i], o.nLeptons[i], roundCell(o.mjj[i]), label(i)]),
    };
  }
  const columns = source.columns ?? [];
  const f = rows.features as Float32Array;
  return {
    header: [...columns, 'label'],
    rows: Array.from({ length: n }, (_, i) => [...columns.map((_c, c) => roundCell(f[i * columns.length + c])), label(i)]),
  };
}

async function countLabels(source: DatasetSource, upTo: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let start = 0; start < upTo; start += CHUNK_ROWS) {
    const labels = (await source.read(start, Math.min(CHUNK_ROWS, upTo - start))).labels;
    for (const code of labels) {
      const name = labelName(source, code);
      counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

function labelNotes(source: DatasetSource, opts: ImportOptions): string[] {
  const meta = source.meta ?? {};
  const notes: string[] = [];
  const stamp = meta.generator as { generator?: string } | undefined;
  if (opts.label !== undefined) notes.push(`every row gets the label "${opts.label}" (given)`);
  else if (stamp) notes.push(`labels from the generator stamp (awb generate ${String(stamp.generator)})`);
  else if (typeof meta.labelColumn === 'string') notes.push(`labels from the column "${meta.labelColumn}"`);
  else if (typeof meta.labelKey === 'string') notes.push(`labels from the member "${meta.labelKey}"`);
  for (const k of ['labelFrom', 'labelSource'] as const) {
    const v = meta[k];
    if (typeof v === 'string' && v !== 'user' && v !== 'none' && !(v === 'generator stamp' && stamp)) notes.push(`labels from the ${v}`);
  }
  const codes = Object.keys(source.labelNames);
  if (codes.length === 1 && codes[0] === '-1') notes.push('the file carries no labels: every row is imported as unlabelled');
  return notes;
}

export async function inspectFile(p: InspectRequest): Promise<FileInspection> {
  const path = resolve(p.path);
  try {
    if (!statSync(path).isFile()) throw new ApiError(`${path}: not a file`, 'bad-request');
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'bad-request');
  }
  let format: string;
  try {
    format = await detectFormat(path, p.format);
  } catch (e) {
    throw new ApiError((e as Error).message, 'bad-request');
  }
  const opts = optionsOf(p);
  const source = await open(path, p.format, opts);
  try {
    // The candidates are what the file offers without a column choice; the choice may narrow them.
    let candidates = source.columns ? [...source.columns] : null;
    if (candidates && opts.columns) {
      const all = await open(path, p.format, { ...opts, columns: undefined });
      candidates = all.columns ? [...all.columns] : candidates;
      all.close();
    }
    const shown = Math.min(PREVIEW_ROWS, source.rows);
    const first = await source.read(0, shown);
    const countedRows = Math.min(source.rows, Math.max(shown, Math.floor(COUNT_VALUES / rowValues(source))));
    const notes = labelNotes(source, opts);
    if (countedRows < source.rows) notes.push(`label counts over the first ${countedRows.toLocaleString('en-US')} of ${source.rows.toLocaleString('en-US')} rows`);
    const labelColumn = source.meta?.labelColumn;
    return {
      path,
      format,
      kind: source.kind,
      rows: source.rows,
      columns: candidates,
      chosenColumns: source.columns ? [...source.columns] : null,
      labelColumn: typeof labelColumn === 'string' ? labelColumn : null,
      preview: previewTable(source, first as Record<string, Float32Array | Int8Array>, shown),
      countsByLabel: await countLabels(source, countedRows),
      countedRows,
      notes,
    };
  } catch (e) {
    throw e instanceof ApiError ? e : new ApiError((e as Error).message, 'bad-request');
  } finally {
    source.close();
  }
}
