// report.html: one self-contained page (inline CSS, plots as inline <svg>, no scripts, no external URL) that
// says what a study asks, on which data, with which configuration and seeds, on which engine and device,
// and what came out — numbers and every plot. The same page prints to the PDF (A4, figures kept whole).
import { diffConfigs } from '@shared/config-diff';
import type { DatasetInfo, RunSummary } from '@shared/api';

/** What the report shows; built by export-run from the registry. */
export interface ReportModel {
  id: string;
  /** The study kind, or the run kind of a training run. */
  kind: string;
  name: string;
  isStudy: boolean;
  /** Experiment-style label text (e.g. "Simulation, √s = 14 TeV"), or null. */
  label: string | null;
  engineVersion: string;
  /** The export time: the report's one line that differs between two exports. */
  exportedAt: string;
  /** The run itself first, then a study's child runs. */
  runs: RunSummary[];
  datasets: DatasetInfo[];
  /** The study file or the training configuration, as resolved. */
  config: unknown;
  /** The configuration of each child run of a study, by run id. */
  childConfigs: { id: string; config: unknown }[];
  metrics: Record<string, unknown> | null;
  summary: Record<string, number>;
  plots: { title: string; svg: string }[];
}

/** What each study kind asks, and of which paper. */
const QUESTIONS: Record<string, string> = {
  'train-evaluate':
    'How well does a model trained on background only separate signal from background? The model is trained on the background training split and scored on the labelled test split, once per seed; AUC, background rejection and the significance improvement are reported as mean ± standard deviation over the seeds.',
  'inverted-task':
    'The inverted task of Finke et al., "Autoencoders for unsupervised anomaly detection in high energy physics" (arXiv:2104.09051, JHEP 06 (2021) 161): an autoencoder trained on class A should tag class B, and one trained on B should tag A, if it detects anomalies in general rather than one kind of signal. The worse of the two AUCs is the model-independence figure.',
  'mass-decorrelation':
    'After Cheng et al., "Variational Autoencoders for Anomalous Jet Tagging" (arXiv:2007.01850, Phys. Rev. D 107, 016002 (2023)): does distance-correlation (DisCo) regularisation or outlier exposure decorrelate a VAE\'s anomaly score from the jet mass, and what does it cost in signal efficiency? Reported: AUC, rejection at 50% signal efficiency and the inverse Jensen–Shannon divergence of the background mass spectra after score cuts.',
  representation:
    'After Dillon et al., "Anomalies, Representations, and Self-Supervision" (AnomalyCLR; arXiv:2301.04660, SciPost Phys. Core 7, 056 (2024)): does an autoencoder on a contrastively learned event representation find the ADC2021 signals better than the same autoencoder on the raw event objects?',
  topology:
    'After Batson et al., "Topological Obstructions to Autoencoding" (arXiv:2102.08380, JHEP 04 (2021) 280): how do an autoencoder\'s reconstruction error and its anomaly detection change when the bottleneck is below, at or above the intrinsic dimension of the data manifold?',
  'bump-hunt':
    'A resonance search as in the LHC Olympics 2020: the dijet mass spectrum is fitted with the standard dijet function after cuts on an autoencoder\'s anomaly score; does the cut raise the local significance of the signal window without sculpting the background?',
};

export function studyQuestion(m: Pick<ReportModel, 'kind' | 'isStudy' | 'name'>): string {
  if (m.isStudy) return QUESTIONS[m.kind] ?? `A ${m.kind} study.`;
  return `A single training run (${m.kind}): ${m.name}. The model is trained on the background training split of its dataset and scored on the labelled test split.`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Numbers as the tables print them: integers whole, the rest to four decimals (AUCs as papers quote them). */
export function formatNumber(v: unknown): string {
  if (typeof v !== 'number') return v === null || v === undefined ? '—' : esc(String(v));
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(4);
}

/** "mean ± std", the spread to the mean's four decimals (0.7598 ± 0.0004, not ± 3.536e-4). */
function pm(mean: unknown, std: unknown): string {
  if (typeof std !== 'number') return formatNumber(mean);
  const fixed = typeof mean === 'number' && /^-?\d+\.\d{4}$/.test(formatNumber(mean)) && Math.abs(std) < 1e5;
  return `${formatNumber(mean)} ± ${fixed ? std.toFixed(4) : formatNumber(std)}`;
}

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Summary metrics, a key and its `KEY_std` partner merged into one "mean ± std" cell. */
export function summaryTable(summary: Record<string, number>): string {
  const keys = Object.keys(summary).sort();
  const rows = keys.filter((k) => !(k.endsWith('_std') && k.slice(0, -4) in summary)).map((k) => [esc(k), pm(summary[k], summary[`${k}_std`])]);
  return rows.length ? table(['metric', 'value'], rows) : '<p>No summary metrics were recorded.</p>';
}

type Row = Record<string, unknown>;
const rowsOf = (x: unknown): Row[] => (Array.isArray(x) ? (x.filter((r) => typeof r === 'object' && r !== null) as Row[]) : []);

function directionsTable(caption: string, directions: unknown): string {
  const rows = rowsOf(directions).map((d) => [esc(String(d.train)), esc(String(d.signal)), pm(d.auc, d.aucStd), esc(((d.runs as string[] | undefined) ?? []).join(', '))]);
  return rows.length ? `<h3>${esc(caption)}</h3>\n${table(['trained on', 'tags', 'AUC (mean ± std over seeds)', 'runs'], rows)}` : '';
}

/** The kind's own results tables (mean ± std over seeds), before the summary metrics. */
export function resultTables(kind: string, metrics: Record<string, unknown> | null): string {
  if (!metrics) return '';
  if (kind === 'inverted-task') {
    const semi = metrics.semiSupervised as Row | null;
    const parts = [directionsTable('Both directions', metrics.directions), `<p>Model independence (the worse AUC): <strong>${formatNumber(metrics.modelIndependence)}</strong>; tags both ways: ${metrics.tagsBothWays ? 'yes' : 'no'}.</p>`];
    if (semi) parts.push(directionsTable(`Semi-supervised (${String(semi.rows)} labelled rows)`, semi.directions));
    for (const v of rowsOf(metrics.variants)) parts.push(directionsTable(`Variant ${String(v.name)}`, v.directions));
    return parts.join('\n');
  }
  if (kind === 'train-evaluate') {
    const head = table(['AUC', 'rejection', 'max SIC'], [[pm(metrics.auc, metrics.aucStd), pm(metrics.rejection, metrics.rejectionStd), formatNumber(metrics.sicMax)]]);
    const seeds = rowsOf(metrics.perSeed).map((s) => [formatNumber(s.seed), esc(String(s.run)), formatNumber(s.auc), formatNumber(s.rejection)]);
    return `<h3>Mean ± standard deviation over seeds</h3>\n${head}\n<h3>Per seed</h3>\n${table(['seed', 'run', 'AUC', 'rejection'], seeds)}`;
  }
  return '';
}

function datasetsSection(datasets: DatasetInfo[]): string {
  if (!datasets.length) return '<p>No stored dataset was used.</p>';
  return datasets
    .map((d) => {
      const labels = Object.entries(d.countsByLabel).map(([k, n]) => `${esc(k)}: ${n}`).join(', ');
      return `<dl class="dataset">
<dt>${esc(d.name)}</dt><dd>${esc(d.kind)}, ${d.rows} rows (${labels}); format ${esc(d.format)}; split ${d.splits.fractions.join('/')} (seed ${d.splits.seed})</dd>
<dt>source</dt><dd><code>${esc(d.sourcePath)}</code></dd>
<dt>source SHA-256</dt><dd><code>${d.sourceHash}</code></dd>
<dt>content SHA-256</dt><dd><code>${d.contentHash}</code></dd>
</dl>`;
    })
    .join('\n');
}

function runsSection(runs: RunSummary[]): string {
  const rows = runs.map((r) => [esc(r.id), esc(r.name), esc(r.kind), formatNumber(r.seed), esc(r.status), esc(r.backend ?? '—'), esc(r.device ?? '—'), esc(r.engineVersion), formatNumber(r.summary.auc)]);
  return table(['run', 'name', 'kind', 'seed', 'status', 'backend', 'device', 'engine', 'AUC'], rows);
}

/**
 * A standalone SVG file made fit to sit inside the page: no XML prolog, no namespace URLs (the HTML parser
 * gives <svg> its namespace, and the report must not contain a single URL), and its ids prefixed so that
 * two plots' clip paths or gradients never collide.
 */
export function inlineSvg(svg: string, prefix: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/g, '')
    .replace(/<!DOCTYPE[^>]*>\s*/gi, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(\s*#([^)\s]+)\s*\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

const json = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;

/** A study's runs: the first configuration in full, then only what the others change (datasets, seeds, …). */
function childConfigsSection(children: ReportModel['childConfigs']): string {
  if (children.length === 0) return '';
  const [first] = children;
  const changed = diffConfigs(children.map((c) => c.config)).filter((r) => r.differs);
  const diff = changed.length
    ? `<p>What the other runs change:</p>\n${table(['key', ...children.map((c) => c.id)], changed.map((r) => [esc(r.key), ...r.values.map((v) => esc(v ?? '—'))]))}`
    : '<p>The other runs have the same configuration.</p>';
  return `<h3>Run ${esc(first.id)}</h3>\n${json(first.config)}\n${children.length > 1 ? diff : ''}`;
}

function figures(plots: ReportModel['plots']): string {
  if (!plots.length) return '<p>This run has no plots.</p>';
  return plots.map((p, i) => `<figure>\n${p.svg}\n<figcaption>Figure ${i + 1}: ${esc(p.title)}</figcaption>\n</figure>`).join('\n');
}

const CSS = `
body { font: 11pt/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; background: #fff; max-width: 60em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 18pt; margin-bottom: 0.2em; } h2 { font-size: 14pt; border-bottom: 1px solid #999; margin-top: 1.6em; } h3 { font-size: 12pt; }
.label { font-style: italic; color: #333; } .stamp { color: #555; font-size: 9pt; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 9.5pt; } th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; } code, pre { font: 8.5pt/1.3 "DejaVu Sans Mono", Menlo, monospace; } pre { background: #f6f6f6; padding: 0.6em; white-space: pre-wrap; word-break: break-all; }
dl.dataset { display: grid; grid-template-columns: 10em 1fr; gap: 0.1em 1em; margin: 0.6em 0; } dl.dataset dt { font-weight: bold; } dl.dataset dd { margin: 0; word-break: break-all; }
figure { margin: 1em 0; text-align: center; } figure svg { max-width: 100%; height: auto; } figcaption { font-size: 9.5pt; margin-top: 0.3em; }
@page { size: A4; margin: 15mm 12mm; }
@media print { body { margin: 0; max-width: none; } figure, table, dl.dataset { break-inside: avoid; page-break-inside: avoid; } h2, h3 { break-after: avoid; page-break-after: avoid; } }
`;

export function reportHtml(m: ReportModel): string {
  const what = m.isStudy ? `Study (${m.kind})` : `Training run (${m.kind})`;
  const seeds = [...new Set(m.runs.map((r) => r.seed).filter((s): s is number => s !== null))].sort((a, b) => a - b);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(m.name)} — Anomaly Workbench report</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(m.name)}</h1>
<p>${what} <code>${esc(m.id)}</code>, Anomaly Workbench engine ${esc(m.engineVersion)}.</p>
${m.label ? `<p class="label">${esc(m.label)}</p>` : ''}
<p class="stamp">Exported ${esc(m.exportedAt)}</p>
</header>
<h2>Question</h2>
<p>${esc(studyQuestion(m))}</p>
<h2>Results</h2>
${resultTables(m.kind, m.metrics)}
<h3>Summary metrics</h3>
${summaryTable(m.summary)}
<h2>Plots</h2>
${figures(m.plots)}
<h2>Data</h2>
${datasetsSection(m.datasets)}
<h2>Runs, engine and devices</h2>
<p>Seeds: ${seeds.length ? seeds.join(', ') : '—'}.</p>
${runsSection(m.runs)}
<h2>Configuration</h2>
<p>${m.isStudy ? 'The study file as the engine resolved it (every default filled in); re-run it with <code>awb study run study.json</code>.' : 'The training configuration as the engine resolved it (train.json).'}</p>
${json(m.config)}
${childConfigsSection(m.childConfigs)}
${m.metrics ? `<h2>All reported numbers</h2>\n${json(m.metrics)}` : ''}
</body>
</html>
`;
}
