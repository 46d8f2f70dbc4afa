// VAE-Jet losses: the §7 reference values of physics.md, and a random batch against a float64 PyTorch
// port of Cheng's code and DisCo's disco.py (vae_losses_reference.py), gradients by torch autograd.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import {
  annealingWeight,
  betaVaeLossPerExample,
  CHENG_DISCO_ANNEALING,
  CHENG_KL_ANNEALING,
  CHENG_OE_ANNEALING,
  discoVaeLoss,
  distanceCorrelation,
  klPerExample,
  klTerms,
  oeKlMargin,
  oeMseMargin,
  oeMseSigmoid,
  oeVaeLoss,
  reconstructionMsePerExample,
} from '../../../src/main/engine/train/vae-losses';

const B = 12;
const L = 4;
const D = 7;
const SPEC = { B, L, D, beta: 0.1, lam: 2, margin: 1 };

const scalar = (t: tf.Tensor) => t.dataSync()[0];

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
}

describe('VAE-Jet losses', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  describe('physics.md §7 reference values', () => {
    const mu = () => tf.tensor2d([[0.5, -1]]);
    const logVar = () => tf.tensor2d([[0.1, -0.2]]);
    const muOe = () => tf.tensor2d([[2, 0]]);
    const logVarOe = () => tf.tensor2d([[0, -1]]);

    it('KL = −½ mean(1 + log σ² − μ² − σ²) = 0.31847542 for μ = [0.5, −1], log σ² = [0.1, −0.2]', () => {
      expect(Math.abs(scalar(klPerExample(mu(), logVar())) - 0.31847542)).toBeLessThan(1e-7);
      expectClose(klTerms(mu(), logVar()).dataSync(), [0.12758546, 0.50936538], 1e-7);
      expectClose(klTerms(muOe(), logVarOe()).dataSync(), [2.0, 0.18393972], 1e-7);
    });

    it('KL-OE hinge per latent dimension: 0.66271283 (m = 1), 1.22650556 (m = 2)', () => {
      const inT = klTerms(mu(), logVar());
      const oeT = klTerms(muOe(), logVarOe());
      expect(Math.abs(scalar(oeKlMargin(inT, oeT, 1)) - 0.66271283)).toBeLessThan(1e-7);
      expect(Math.abs(scalar(oeKlMargin(inT, oeT, 2)) - 1.22650556)).toBeLessThan(1e-7);
    });

    it('DisCo (power 1, unit weights): 0.97400328, 0.73684211 (= 14/19), dCorr(x, x) = 1', () => {
      const x = tf.tensor1d([1, 2, 3, 4, 5]);
      expect(Math.abs(scalar(distanceCorrelation(x, tf.tensor1d([1, 4, 9, 16, 25]))) - 0.97400328)).toBeLessThan(1e-7);
      expect(Math.abs(scalar(distanceCorrelation(x, tf.tensor1d([2, 1, 4, 3, 5]))) - 14 / 19)).toBeLessThan(1e-7);
      expect(Math.abs(scalar(distanceCorrelation(x, x)) - 1)).toBeLessThan(1e-7);
      expect(() => distanceCorrelation(x, tf.tensor1d([1, 2]))).toThrow(/5 and 2 entries/);
    });
  });

  it('rejects unpaired outlier batches, naming the shapes', () => {
    expect(() => oeMseMargin(tf.zeros([3]), tf.zeros([4]), 1)).toThrow(/paired one to one.*\[3\].*\[4\]/);
  });

  describe('against PyTorch on a random batch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'awb-vae-losses-'));
    const t: Record<string, tf.Tensor> = {};
    let ref: Record<string, number[]> & Record<'dcorr' | 'disco' | 'oeMseMargin' | 'oeMseSigmoid' | 'oeKlMargin' | 'oeTotalKl' | 'dcorrUV', number>;

    beforeAll(async () => {
      await useBackend('wasm');
      const shapes: Record<string, number[]> = {
        x: [B, D], xhat: [B, D], xoe: [B, D], xhatoe: [B, D], w: [D],
        mu: [B, L], logvar: [B, L], muoe: [B, L], logvaroe: [B, L], mass: [B], u: [B], v: [B],
      };
      Object.entries(shapes).forEach(([name, shape], i) => {
        t[name] = name === 'w' || name === 'mass' ? tf.randomUniform(shape, 0.2, 3, 'float32', i + 1) : tf.randomNormal(shape, 0, 1, 'float32', i + 1);
        writeFileSync(join(dir, `${name}.f32`), Buffer.from((t[name].dataSync() as Float32Array).slice().buffer));
      });
      writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
      execFileSync('/usr/bin/python3', [join(__dirname, 'vae_losses_reference.py'), dir], { stdio: 'pipe' });
      ref = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    });

    afterAll(() => {
      tf.dispose(Object.values(t));
      rmSync(dir, { recursive: true, force: true });
    });

    const as2 = (n: string) => t[n] as tf.Tensor2D;

    it('per-example MSE (plain and feature-weighted), KL terms, KL and β-loss', () => {
      const mse = reconstructionMsePerExample(as2('x'), as2('xhat'));
      const kl = klPerExample(as2('mu'), as2('logvar'));
      expectClose(mse.dataSync(), ref.mse, 1e-5);
      expectClose(reconstructionMsePerExample(as2('x'), as2('xhat'), t.w as tf.Tensor1D).dataSync(), ref.mseWeighted, 1e-5);
      expectClose(klTerms(as2('mu'), as2('logvar')).dataSync(), ref.klTerms, 1e-5);
      expectClose(kl.dataSync(), ref.kl, 1e-5);
      expectClose(betaVaeLossPerExample(mse, kl, SPEC.beta).dataSync(), ref.betaLoss, 1e-5);
    });

    it('DisCo of the β-loss against mass, and the DisCo-VAE loss', () => {
      const loss = betaVaeLossPerExample(reconstructionMsePerExample(as2('x'), as2('xhat')), klPerExample(as2('mu'), as2('logvar')), SPEC.beta);
      expectClose([scalar(distanceCorrelation(loss, t.mass as tf.Tensor1D))], [ref.dcorr], 1e-5);
      expectClose([scalar(discoVaeLoss(loss, t.mass as tf.Tensor1D, SPEC.lam))], [ref.disco], 1e-5);
    });

    it('OE terms (MSE margin, MSE sigmoid, KL margin) and the KL-OE total', () => {
      const mseIn = reconstructionMsePerExample(as2('x'), as2('xhat'));
      const mseOe = reconstructionMsePerExample(as2('xoe'), as2('xhatoe'));
      expectClose(mseOe.dataSync(), ref.mseOe, 1e-5);
      expectClose([scalar(oeMseMargin(mseIn, mseOe, SPEC.margin))], [ref.oeMseMargin], 1e-5);
      expectClose([scalar(oeMseSigmoid(mseIn, mseOe))], [ref.oeMseSigmoid], 1e-5);
      const klOe = oeKlMargin(klTerms(as2('mu'), as2('logvar')), klTerms(as2('muoe'), as2('logvaroe')), SPEC.margin);
      expectClose([scalar(klOe)], [ref.oeKlMargin], 1e-5);
      const beta = betaVaeLossPerExample(mseIn, klPerExample(as2('mu'), as2('logvar')), SPEC.beta);
      expectClose([scalar(oeVaeLoss(beta, klOe, SPEC.lam))], [ref.oeTotalKl], 1e-5);
    });

    it('differentiates the distance correlation like torch autograd', () => {
      const [gu, gv] = tf.grads((u: tf.Tensor, v: tf.Tensor) => distanceCorrelation(u as tf.Tensor1D, v as tf.Tensor1D))([t.u, t.v]);
      expectClose([scalar(distanceCorrelation(t.u as tf.Tensor1D, t.v as tf.Tensor1D))], [ref.dcorrUV], 1e-5);
      expectClose(gu.dataSync(), ref.gradU, 1e-5);
      expectClose(gv.dataSync(), ref.gradV, 1e-5);
    });

    it("reproduces Cheng's annealing recurrences epoch by epoch (KL, OE-λ, DisCo-λ)", () => {
      const weights = (s: typeof CHENG_KL_ANNEALING) => Array.from({ length: 60 }, (_, e) => annealingWeight(e, s));
      expectClose(weights(CHENG_KL_ANNEALING), ref.annealKl, 1e-12);
      expectClose(weights(CHENG_OE_ANNEALING), ref.annealOe, 1e-12);
      expectClose(weights(CHENG_DISCO_ANNEALING), ref.annealDisco, 1e-12);
      // The brief's description of the KL schedule: ramp over 4 epochs, resets at 10 and 20, 1 from 25.
      expect(weights(CHENG_KL_ANNEALING).slice(0, 26)).toEqual([
        0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 1, 1, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 1, 1, 0, 0.25, 0.5, 0.75, 1, 1,
      ]);
    });
  });
});
