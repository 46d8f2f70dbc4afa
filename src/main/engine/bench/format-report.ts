// The human-readable form of a bench report: a machine line and one table row per measurement.
import type { BenchReport } from './run-bench';

function number(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1);
}

export function formatBenchReport(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `machine  ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}`,
    `tfjs     ${m.tfjs}`,
    m.torch
      ? `pytorch  ${m.torch} on ${m.threads} thread(s), BLAS ${m.blas ?? 'unknown'}`
      : 'pytorch  not available: no reference values',
    '',
  ];
  const header = ['benchmark', 'engine', 'samples/s', 'pytorch', 'ratio'];
  const rows = report.results.map((r) => [
    r.name,
    r.engine,
    number(r.value),
    r.reference === null ? '' : number(r.reference),
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  // Names and engines left-aligned, numbers right-aligned.
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  lines.push(line(header), ...rows.map(line));
  if (report.imports.length > 0) {
    lines.push('', 'import (Top Tagging pandas store → dataset store, incl. source hash)');
    for (const r of report.imports) {
      const mib = (b: number) => (b / 2 ** 20).toFixed(0);
      lines.push(
        `  ${r.rows.toLocaleString('en-US')} jets, ${mib(r.fileBytes)} MiB: ${number(r.rowsPerSec)} jets/s (${mib(r.bytesPerSec)} MiB/s), peak RSS ${mib(r.peakRssBytes)} MiB`,
      );
    }
  }
  const x = report.metrics;
  lines.push(
    '',
    'metrics (ROC + AUC on random float32 scores)',
    `  ${x.scores.toLocaleString('en-US')} scores: ${x.seconds.toFixed(2)} s (${number(x.scoresPerSec)} scores/s)`,
  );
  return lines.join('\n');
}
