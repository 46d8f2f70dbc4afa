// Metric points (as stored per step) grouped into the curves a plot draws.
import type { MetricPoint } from '@shared/api';

export interface Curve {
  key: string;
  label: string;
  /** [step, value], in step order. */
  points: [number, number][];
}

/** The loss curves a training run records per epoch, train first. */
export const LOSS_KEYS: Readonly<Record<string, string>> = { train_loss: 'train', val_loss: 'validation' };

export function curvesOf(metrics: readonly MetricPoint[], labels: Readonly<Record<string, string>>): Curve[] {
  return Object.entries(labels)
    .map(([key, label]) => ({
      key,
      label,
      points: metrics
        .filter((m) => m.key === key)
        .sort((a, b) => a.step - b.step)
        .map((m): [number, number] => [m.step, m.value]),
    }))
    .filter((c) => c.points.length > 0);
}

/** Live per-epoch metrics (from job events) in the stored form. */
export function epochMetrics(epochs: readonly { epoch: number; metrics: Record<string, number> }[]): MetricPoint[] {
  return epochs.flatMap((e) => Object.entries(e.metrics).map(([key, value]) => ({ key, step: e.epoch, value })));
}
