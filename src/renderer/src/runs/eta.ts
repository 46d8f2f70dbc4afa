// Time left in a training run, from the progress fractions seen so far and when they arrived.

export interface ProgressSample {
  /** Milliseconds (any monotonic clock). */
  t: number;
  /** Fraction of all batches done, 0 to 1. */
  fraction: number;
}

/** Before this span of samples and this much progress, an estimate is mostly noise: "ETA —". */
export const ETA_MIN_SPAN_MS = 2000;
export const ETA_MIN_PROGRESS = 0.005;
/** The rate comes from the last this-many ms of samples, so it follows changes in speed. */
export const ETA_WINDOW_MS = 60_000;

/** Seconds left at time `now`, or null while there is not enough data (or no progress). */
export function estimateEta(samples: readonly ProgressSample[], now: number): number | null {
  if (samples.length < 2) return null;
  const last = samples[samples.length - 1];
  if (last.fraction >= 1) return 0;
  const first = samples.find((s) => s.t >= last.t - ETA_WINDOW_MS)!; // `last` itself qualifies
  const span = last.t - first.t;
  const progress = last.fraction - first.fraction;
  if (span < ETA_MIN_SPAN_MS || progress < ETA_MIN_PROGRESS) return null;
  const remaining = ((1 - last.fraction) * span) / progress / 1000;
  return Math.max(0, remaining - (now - last.t) / 1000);
}

/**
 * The samples with a new one added and those older than the window dropped; a fraction that went
 * backwards (a resumed run counts afresh) starts over.
 */
export function addSample(samples: readonly ProgressSample[], sample: ProgressSample): ProgressSample[] {
  const last = samples[samples.length - 1];
  if (last && sample.fraction < last.fraction) return [sample];
  return [...samples.filter((s) => s.t >= sample.t - ETA_WINDOW_MS), sample];
}

/** "ETA 1 h 02 min", "ETA 3 min 05 s", "ETA 12 s", or "ETA —" without an estimate. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'ETA —';
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `ETA ${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  if (s >= 60) return `ETA ${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `ETA ${s} s`;
}
