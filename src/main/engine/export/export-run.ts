// `awb export`: a finished training run or study as a folder a physicist can put in a paper — report.html
// (and its PDF), every plot as SVG and PNG, the arrays behind them as CSV (and .npy), the re-runnable
// configuration and REPRODUCE.md. Two exports of the same run are byte-identical but for the report's
// "Exported …" line (and the PDF's own dates).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ApiError, EXPORT_FORMATS, type DatasetInfo, type ExportFormat, type ExportResult, type RunDetail } from '@shared/api';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { Registry } from '../registry/registry';
import { runCurves } from '../registry/run-curves';
import { bumpFitCsv, runDataFiles, type ExportFile } from './export-data';
import { renderPng, renderSvg } from './render-plot';
import { inlineSvg, reportHtml } from './report-html';
import { studyReproduce, trainReproduce } from './reproduce';
import { runPlotSpecs, studyPlotSpecs, type NamedPlot } from './run-plots';

export { EXPORT_FORMATS, type ExportFormat, type ExportResult };
export const DEFAULT_FORMATS: ExportFormat[] = ['html', 'pdf', 'png', 'svg', 'csv'];
/** The file that marks a folder as an export of one run, so that exporting it again may overwrite it. */
export const EXPORT_MARKER = 'awb-export.json';

export interface ExportContext {
  registry: Registry;
  home: string;
  engineVersion: string;
}

export interface ExportOptions {
  formats?: ExportFormat[];
  /** Experiment-style label on every plot and the report (e.g. "Simulation, √s = 14 TeV"). */
  label?: string | null;
}

interface Marker {
  awbExport: 1;
  id: string;
  files: string[];
}

/** A folder to export into: new, empty, or an earlier export of the same run (whose files it returns). */
function claimFolder(out: string, runId: string): string[] {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    return [];
  }
  if (!statSync(out).isDirectory()) throw new Error(`export folder ${out} is a file, not a folder`);
  if (readdirSync(out).length === 0) return [];
  const markerFile = join(out, EXPORT_MARKER);
  let marker: Partial<Marker> | null = null;
  try {
    marker = JSON.parse(readFileSync(markerFile, 'utf8')) as Partial<Marker>;
  } catch {
    marker = null;
  }
  if (!marker || marker.awbExport !== 1) throw new Error(`export folder ${out} is not empty and holds no earlier export (no ${EXPORT_MARKER}); choose an empty or new folder`);
  if (marker.id !== runId) throw new Error(`export folder ${out} holds the export of run ${String(marker.id)}, not of run ${runId}; choose another folder`);
  return Array.isArray(marker.files) ? marker.files.filter((f): f is string => typeof f === 'string') : [];
}

/** Names of the datasets a training run read (its background, signals and outliers). */
function datasetNames(config: unknown): string[] {
  const c = config as { dataset?: string; signal?: string[]; outliers?: string };
  return [c.dataset, ...(c.signal ?? []), c.outliers].filter((x): x is string => typeof x === 'string');
}

/** The losses per epoch a training run recorded, for its loss plot. */
function lossCurves(run: RunDetail): { label: string; points: [number, number][] }[] {
  const keys: [string, string][] = [
    ['train_loss', 'train'],
    ['val_loss', 'validation'],
  ];
  return keys.map(([key, label]) => ({ label, points: run.metrics.filter((m) => m.key === key).map((m): [number, number] => [m.step, m.value]).sort((a, b) => a[0] - b[0]) }));
}

function runPlots(registry: Registry, run: RunDetail): NamedPlot[] {
  let curves = null;
  if (run.artifacts.some((a) => a.name === 'scores.npy')) {
    try {
      curves = runCurves(registry, run.id);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e; // a one-class test set: nothing to draw but the losses
    }
  }
  return runPlotSpecs(curves, lossCurves(run));
}

function artifactText(registry: Registry, run: RunDetail, name: string): string {
  const a = run.artifacts.find((x) => x.name === name);
  if (!a) throw new Error(`study ${run.id} (${run.name}) has no ${name}: it did not finish`);
  return readFileSync(registry.artifactFile(a), 'utf8');
}

/** The half-width of the study's jet images, for the image plots' axes. */
function imageRange(study: ResolvedStudy): number | undefined {
  const rep = (study as { model?: { representation?: { kind?: string; range?: number } } }).model?.representation;
  return rep?.kind === 'jet-images' ? rep.range : undefined;
}

interface Collected {
  children: RunDetail[];
  datasets: DatasetInfo[];
  plots: NamedPlot[];
  metrics: Record<string, unknown> | null;
  /** study.json or train.json. */
  configFile: ExportFile;
  reproduce: string;
}

function collect(ctx: ExportContext, run: RunDetail): Collected {
  const { registry } = ctx;
  const isStudy = run.kind === 'study';
  const children = isStudy
    ? registry
        .listRuns({ parentId: run.id })
        .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1))
        .map((c) => registry.getRun(c.id))
    : [];
  const names = [...new Set((isStudy ? children : [run]).flatMap((r) => datasetNames(r.config)))].sort();
  const datasets = names.map((n) => registry.getDataset(n));
  const common = { id: run.id, name: run.name, engineVersion: run.engineVersion, datasets };
  if (!isStudy) {
    const config = run.config as Record<string, unknown>;
    return { children, datasets, plots: runPlots(registry, run), metrics: null, configFile: { path: 'train.json', data: `${JSON.stringify(config, null, 2)}\n` }, reproduce: trainReproduce({ ...common, config }) };
  }
  const study = JSON.parse(artifactText(registry, run, 'study.json')) as ResolvedStudy;
  const results = JSON.parse(artifactText(registry, run, 'results.json')) as { metrics: Record<string, unknown>; plots?: Record<string, unknown> };
  return {
    children,
    datasets,
    plots: studyPlotSpecs(study.kind, results.plots ?? {}, { imageRange: imageRange(study) }),
    metrics: results.metrics,
    configFile: { path: 'study.json', data: `${JSON.stringify(study, null, 2)}\n` },
    reproduce: studyReproduce(common),
  };
}

function checkFormats(formats: readonly string[]): ExportFormat[] {
  for (const f of formats) if (!EXPORT_FORMATS.includes(f as ExportFormat)) throw new Error(`unknown export format "${f}" (one of ${EXPORT_FORMATS.join(', ')})`);
  return [...new Set(formats as ExportFormat[])];
}

/** Writes the export of a finished run or study into `outDir` (see the file comment). */
export async function exportRun(ctx: ExportContext, idOrPrefix: string, outDir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  const formats = new Set(checkFormats(opts.formats ?? DEFAULT_FORMATS));
  const label = opts.label ?? null;
  const run = ctx.registry.getRun(idOrPrefix);
  if (run.status !== 'finished') throw new Error(`run ${run.id} (${run.name}) is ${run.status}: only finished runs and studies can be exported`);
  // Before anything is written: a missing Chromium is reported, not found after half an export.
  // Loaded on demand: the browser driver is large and only PDF exports need it.
  const pdf = formats.has('pdf') ? await import('./report-pdf') : null;
  pdf?.findChromium();
  const out = resolve(outDir);
  const c = collect(ctx, run);
  const previous = claimFolder(out, run.id);

  const files: ExportFile[] = [c.configFile, { path: 'REPRODUCE.md', data: c.reproduce }];
  const svgs = c.plots.map((p) => ({ plot: p, svg: renderSvg(p.spec, label === null ? {} : { label }) }));
  for (const { plot, svg } of svgs) {
    if (formats.has('svg')) files.push({ path: `plots/${plot.name}.svg`, data: svg });
    if (formats.has('png')) files.push({ path: `plots/${plot.name}.png`, data: renderPng(svg) });
    if (formats.has('csv')) files.push({ path: `data/${plot.name}.csv`, data: plot.spec.csv });
  }
  const dataOpts = { csv: formats.has('csv'), npy: formats.has('npy') };
  if (dataOpts.csv && c.metrics && (run.config as ResolvedStudy).kind === 'bump-hunt') files.push({ path: 'data/fit-results.csv', data: bumpFitCsv(c.metrics, `study ${run.id}`) });
  if (run.kind === 'study') for (const child of c.children) files.push(...runDataFiles(ctx.registry, child, `data/runs/${child.id}`, dataOpts));
  // The run's own arrays in their own folder, as for a study's runs: data/NAME.csv are the plots'.
  else files.push(...runDataFiles(ctx.registry, run, `data/runs/${run.id}`, dataOpts));
  const withReport = formats.has('html') || formats.has('pdf');
  if (withReport) {
    const html = reportHtml({
      id: run.id,
      kind: run.kind === 'study' ? (run.config as ResolvedStudy).kind : run.kind,
      name: run.name,
      isStudy: run.kind === 'study',
      label,
      engineVersion: ctx.engineVersion,
      exportedAt: new Date().toISOString(),
      runs: [run, ...c.children],
      datasets: c.datasets,
      config: run.kind === 'study' ? JSON.parse(c.configFile.data as string) : run.config,
      childConfigs: c.children.map((ch) => ({ id: ch.id, config: ch.config })),
      metrics: c.metrics,
      summary: run.summary,
      plots: svgs.map(({ plot, svg }, i) => ({ title: plot.title, svg: inlineSvg(svg, `p${i + 1}`) })),
    });
    files.push({ path: 'report.html', data: html });
  }
  const written = [...files.map((f) => f.path), ...(formats.has('pdf') ? ['report.pdf'] : []), EXPORT_MARKER].sort();
  const marker: Marker = { awbExport: 1, id: run.id, files: written };
  files.push({ path: EXPORT_MARKER, data: `${JSON.stringify(marker, null, 2)}\n` });

  // Files of the earlier export that this one does not write again (e.g. a format no longer asked for).
  for (const old of previous) if (!written.includes(old) && !old.includes('..')) rmSync(join(out, old), { force: true });
  for (const f of files) {
    const target = join(out, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.data);
  }
  if (pdf) await pdf.printReportPdf(join(out, 'report.html'), join(out, 'report.pdf'));
  return { id: run.id, kind: run.kind, out, files: written, report: withReport ? join(out, 'report.html') : null };
}
