// Exporting a run or a study as files for a paper or a talk (issue 7): report.html/pdf, plots as SVG/PNG,
// the arrays behind the plots as CSV/NPY. The engine's exportRun (src/main/engine/export/export-run.ts)
// does the work; `runs.export` starts it as a task whose 'task-end' result is an ExportResult.
import { z } from 'zod';

export const EXPORT_FORMATS = ['html', 'pdf', 'png', 'svg', 'csv', 'npy'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportParams = z.object({
  /** A run or study id, or an unambiguous prefix of one. */
  id: z.string().trim().min(1),
  /** The output folder; created when missing. */
  out: z.string().trim().min(1),
  /** Which files to write; the engine's default set when left out. */
  formats: z.array(ExportFormat).min(1).optional(),
  /** Experiment-style label text on every plot, e.g. "Simulation, √s = 13 TeV". */
  label: z.string().trim().max(200).optional(),
});
export type ExportParams = z.infer<typeof ExportParams>;

export const ExportResult = z.object({
  id: z.string(),
  kind: z.string(),
  /** The output folder, absolute. */
  out: z.string(),
  /** Every file written, relative to `out`. */
  files: z.array(z.string()),
  /** report.html, absolute; null when neither html nor pdf was asked for. */
  report: z.string().nullable(),
});
export type ExportResult = z.infer<typeof ExportResult>;
