import { EXPORT_FORMATS, exportRun, type ExportFormat, type ExportResult } from '../../engine/export/export-run';
import { ENGINE_VERSION } from '../../engine/version';
import { UsageError, type Command, type CommandContext } from '../command';

/** `--format html,pdf` as export formats, or a usage error naming the unknown one. */
export function exportFormats(value: CommandContext['values'][string]): ExportFormat[] | undefined {
  if (value === undefined) return undefined;
  const formats = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of formats) if (!EXPORT_FORMATS.includes(f as ExportFormat)) throw new UsageError(`--format: unknown format "${f}" (any of ${EXPORT_FORMATS.join(',')})`);
  if (!formats.length) throw new UsageError(`--format: name at least one of ${EXPORT_FORMATS.join(',')}`);
  return formats as ExportFormat[];
}

export const exportText = (r: ExportResult): string => `exported ${r.kind} ${r.id}: ${r.files.length} files in ${r.out}${r.report ? `\nreport: ${r.report}` : ''}`;

export const exportCommand: Command = {
  name: 'export',
  args: 'RUN|STUDY --out DIR',
  summary: 'a finished run or study as a report (HTML, PDF), plots (SVG, PNG), data (CSV, .npy) and the files that re-run it',
  help: [
    '--out DIR          a new or empty folder, or an earlier export of the same run (overwritten; other files are never touched)',
    `--format LIST      any of ${EXPORT_FORMATS.join(',')} (default html,pdf,png,svg,csv); pdf needs Chromium (AWB_CHROMIUM=/path to choose one)`,
    '--label TEXT       experiment-style label on the plots and the report, e.g. "Simulation, √s = 14 TeV"',
    'Writes report.html (self-contained) and report.pdf, plots/NAME.svg|png, data/NAME.csv (each plot\'s data) and per scored',
    'run scores.csv (score,label,mass) and roc.csv, study.json or train.json, REPRODUCE.md and awb-export.json (the marker).',
    'Exporting twice gives identical files except the report\'s "Exported" line and the PDF\'s dates.',
    'Under --json: {"id", "kind", "out", "files": [...], "report"}.',
  ],
  options: { out: { type: 'string' }, format: { type: 'string' }, label: { type: 'string' } },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ engine, values, positionals, out }) {
    if (values.out === undefined) throw new UsageError('export: --out DIR is required');
    const formats = exportFormats(values.format);
    const e = await engine();
    const r = await exportRun({ registry: e.registry, home: e.home, engineVersion: ENGINE_VERSION }, positionals[0], String(values.out), {
      formats,
      label: values.label === undefined ? null : String(values.label),
    });
    out.result(r, exportText);
    return 0;
  },
};
