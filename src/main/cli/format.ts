// Plain-text tables and numbers for the human output of `awb`.

export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '–' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** Four significant digits, exponent notation for very small or large values. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (v === 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6)) return Number(v.toPrecision(4)).toString();
  return v.toExponential(3);
}

export function duration(startIso: string | null, endIso: string | null): string {
  if (!startIso) return '–';
  const s = ((endIso ? Date.parse(endIso) : Date.now()) - Date.parse(startIso)) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
