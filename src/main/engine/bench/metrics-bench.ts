// ROC + AUC speed: the time of roc() and auc() on N random float32 scores (half signal, shifted up),
// the size of a large test set (ADC2021's background alone is 13 M events).
import { mulberry32 } from '@shared/random';
import { auc, roc } from '@shared/metrics/roc';

export interface MetricsBenchResult {
  scores: number;
  /** Wall time of roc() + auc(). */
  seconds: number;
  scoresPerSec: number;
  /** Points on the curve (distinct scores + 1) and the AUC, as a sanity check of the work done. */
  rocPoints: number;
  auc: number;
}

export function metricsBench(n: number, log: (line: string) => void): MetricsBenchResult {
  const uniform = mulberry32(1);
  const scores = new Float32Array(n);
  const labels = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = uniform() < 0.5 ? 1 : 0;
    scores[i] = uniform() + 0.2 * labels[i];
  }
  const t0 = performance.now();
  const curve = roc(scores, labels);
  const area = auc(curve);
  const seconds = (performance.now() - t0) / 1000;
  log(`metrics: ROC + AUC of ${n} float32 scores in ${seconds.toFixed(2)} s (${curve.fpr.length} points, AUC ${area.toFixed(4)})`);
  return { scores: n, seconds, scoresPerSec: n / seconds, rocPoints: curve.fpr.length, auc: area };
}
