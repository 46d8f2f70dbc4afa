// How numbers, times and sizes read on every screen and in the CLI: compact, unambiguous, tabular.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local date and time as `2025-11-24 19:46:03` (or without seconds, for tables); an em dash for nothing. */
export function formatDateTime(iso: string | null | undefined, seconds = true): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/** From start to end, or to `now` while still running; an em dash when it never started. */
export function formatDuration(startIso: string | null, endIso: string | null, now: number = Date.now()): string {
  if (!startIso) return '—';
  const end = endIso ? Date.parse(endIso) : now;
  return formatSeconds((end - Date.parse(startIso)) / 1000);
}

/** Four significant digits (whole numbers from 1,000 up); scientific notation for very small or large magnitudes. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(4)));
}

export function formatRate(samplesPerSec: number): string {
  return `${Math.round(samplesPerSec).toLocaleString('en-US')} samples/s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
