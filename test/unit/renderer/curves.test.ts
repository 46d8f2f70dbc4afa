import { describe, expect, it } from 'vitest';
import { curvesOf, epochMetrics, LOSS_KEYS } from '../../../src/renderer/src/plots/curves';

describe('loss curves from stored metrics', () => {
  it('groups points per key in step order, train first, and drops keys without points', () => {
    const metrics = [
      { key: 'val_loss', step: 2, value: 0.5 },
      { key: 'train_loss', step: 2, value: 0.6 },
      { key: 'samples_per_sec', step: 1, value: 1000 },
      { key: 'train_loss', step: 1, value: 0.9 },
      { key: 'val_loss', step: 1, value: 0.8 },
    ];
    expect(curvesOf(metrics, LOSS_KEYS)).toEqual([
      { key: 'train_loss', label: 'train', points: [[1, 0.9], [2, 0.6]] },
      { key: 'val_loss', label: 'validation', points: [[1, 0.8], [2, 0.5]] },
    ]);
    expect(curvesOf(metrics.filter((m) => m.key !== 'val_loss'), LOSS_KEYS).map((c) => c.key)).toEqual(['train_loss']);
  });

  it('turns live epoch events into the stored form, so live and stored plots agree', () => {
    const live = epochMetrics([{ epoch: 1, metrics: { train_loss: 0.9, val_loss: 0.8 } }, { epoch: 2, metrics: { train_loss: 0.6 } }]);
    expect(curvesOf(live, LOSS_KEYS)).toEqual([
      { key: 'train_loss', label: 'train', points: [[1, 0.9], [2, 0.6]] },
      { key: 'val_loss', label: 'validation', points: [[1, 0.8]] },
    ]);
  });
});
