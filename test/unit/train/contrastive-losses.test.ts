import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, normalSampler } from '@shared/random';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { anomclrLoss, anomclrPlusLoss, clrLoss, contrastiveLoss } from '../../../src/main/engine/train/contrastive-losses';
import { fileBuffer } from '../../helpers/files';

// physics.md §7: toy batch B = 2, d = 3 through the public `ContrastiveLosses.py`.
const XI = [[1, 0, 0], [0, 1, 0]];
const XJ = [[0.9, 0.1, 0], [0.1, 0.8, 0.2]];
const XK = [[0, 0, 1], [0.5, 0.5, 0.5]];
const EXPECTED: Record<string, [number, number]> = {
  clr: [-7.79758261, -1.02902603],
  anomclr: [-4.91083126, -0.45167577],
  'anomclr+': [-6.89810145, -1.37962029],
};

function value(loss: tf.Scalar): number {
  const v = loss.dataSync()[0];
  loss.dispose();
  return v;
}

describe('contrastive losses', () => {
  let dir: string;
  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'awb-clr-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reproduce the §7 values of the public code on the toy batch to 1e-6', () => {
    const [xi, xj, xk] = [XI, XJ, XK].map((v) => tf.tensor2d(v));
    [0.1, 0.5].forEach((tau, t) => {
      expect(value(clrLoss(xi, xj, tau))).toBeCloseTo(EXPECTED.clr[t], 6);
      expect(value(anomclrLoss(xi, xj, xk, tau))).toBeCloseTo(EXPECTED.anomclr[t], 6);
      expect(value(anomclrPlusLoss(xi, xj, xk, tau))).toBeCloseTo(EXPECTED['anomclr+'][t], 6);
      for (const name of ['clr', 'anomclr', 'anomclr+'] as const) {
        expect(value(contrastiveLoss(name, xi, xj, xk, tau))).toBeCloseTo(EXPECTED[name][t], 6);
      }
    });
    tf.dispose([xi, xj, xk]);
  });

  it('agree with an independent PyTorch implementation on a random batch (B = 16, d = 136)', () => {
    const [b, d] = [16, 136];
    const g = normalSampler(mulberry32(9));
    const views = ['xi', 'xj', 'xk'].map((name) => {
      const a = Float32Array.from({ length: b * d }, g);
      writeFileSync(join(dir, `${name}.f32`), a);
      return tf.tensor2d(a, [b, d]);
    });
    execFileSync('/usr/bin/python3', [join(__dirname, 'contrastive_reference.py'), dir, String(b), String(d)]);
    const ref = new Float64Array(fileBuffer(join(dir, 'losses.f64')));
    const [xi, xj, xk] = views;
    const ours = [
      ...[0.1, 0.5].map((tau) => value(clrLoss(xi, xj, tau))),
      ...[0.1, 0.5].map((tau) => value(anomclrLoss(xi, xj, xk, tau))),
      ...[0.1, 0.5].map((tau) => value(anomclrPlusLoss(xi, xj, xk, tau))),
    ];
    ours.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 4));
    tf.dispose(views);
  });

  it('are scale-invariant in each view (the views are normalised)', () => {
    const [xi, xj, xk] = [XI, XJ, XK].map((v) => tf.tensor2d(v));
    const scaled = tf.mul(xj, 7.5) as tf.Tensor2D;
    expect(value(anomclrLoss(xi, scaled, xk, 0.1))).toBeCloseTo(EXPECTED.anomclr[0], 5);
    tf.dispose([xi, xj, xk, scaled]);
  });

  it('refuse a batch without negatives, mismatched views and a non-positive temperature', () => {
    const one = tf.tensor2d([[1, 0, 0]]);
    const two = tf.tensor2d(XI);
    const wide = tf.tensor2d([[1, 0, 0, 0], [0, 1, 0, 0]]);
    expect(() => clrLoss(one, one, 0.1)).toThrow(/at least 2 events/);
    expect(() => anomclrLoss(two, wide, two, 0.1)).toThrow(/\(2, 3\), got \(2, 4\)/);
    expect(() => clrLoss(two, two, 0)).toThrow(/temperature must be positive/);
    expect(() => contrastiveLoss('anomclr', two, two, null, 0.1)).toThrow(/anomalous view/);
    tf.dispose([one, two, wide]);
  });
});
