// The VAE-Jet β-VAE and its latent-space scores, against an independent PyTorch/numpy twin
// (vae_reference.py) that loads the same weights, written here as raw float32.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import {
  buildVae,
  CHENG_VAE,
  deserializeVae,
  disposeVae,
  latentNoise,
  serializeVae,
  vaeForward,
  vaeSummary,
  type Vae,
} from '../../../src/main/engine/models/vae';
import { fitLatentGaussian, latentScores, mahalanobisDistances } from '../../../src/main/engine/scores/latent-scores';
import { betaVaeLossPerExample, klPerExample, reconstructionMsePerExample } from '../../../src/main/engine/train/vae-losses';

const dense = (nin: number, nout: number) => nin * nout + nout;
const ROWS = 16;
const BACKGROUND_ROWS = 300;
const CLOUD = { rows: 200, dim: 4 };
const BETA = 0.1;

function writeF32(dir: string, name: string, data: ArrayLike<number>): void {
  writeFileSync(join(dir, `${name}.f32`), Buffer.from(Float32Array.from(data).buffer));
}

/** Every kernel and bias replaced by seeded N(0, 0.1²) values, so that biases are exercised too. */
function randomiseWeights(vae: Vae): void {
  let seed = 100;
  for (const m of [vae.encoder, vae.decoder]) m.setWeights(m.getWeights().map((w) => tf.randomNormal(w.shape, 0, 0.1, 'float32', seed++)));
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
}

describe('β-VAE (VAE-Jet)', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('has 125,796 parameters with the defaults: encoder 63,188, decoder 62,608, worked out layer by layer', () => {
    const encoder = dense(80, 256) + dense(256, 128) + dense(128, 64) + 2 * dense(64, 10);
    const decoder = dense(10, 64) + dense(64, 128) + dense(128, 256) + dense(256, 80);
    expect([encoder, decoder, encoder + decoder]).toEqual([63_188, 62_608, 125_796]);
    const vae = buildVae({ ...CHENG_VAE, seed: 1 });
    expect(vae.encoder.countParams()).toBe(encoder);
    expect(vae.decoder.countParams()).toBe(decoder);
    const summary = vaeSummary(vae);
    expect(summary.reduce((s, r) => s + r.params, 0)).toBe(125_796);
    expect(summary.find((r) => r.layer === 'z_log_var')).toEqual({ part: 'encoder', layer: 'z_log_var', outputShape: [null, 10], params: dense(64, 10) });
    expect(summary.at(-1)).toEqual({ part: 'decoder', layer: 'reconstruction', outputShape: [null, 80], params: dense(256, 80) });
    disposeVae(vae);
  });

  it('follows configurable widths and latent size', () => {
    const vae = buildVae({ inputDim: 12, hiddenWidths: [20, 6], latentDim: 3, activation: 'elu', seed: 2 });
    expect(vae.encoder.countParams() + vae.decoder.countParams()).toBe(
      dense(12, 20) + dense(20, 6) + 2 * dense(6, 3) + dense(3, 6) + dense(6, 20) + dense(20, 12),
    );
    disposeVae(vae);
    expect(() => buildVae({ ...CHENG_VAE, latentDim: 0, seed: 1 })).toThrow(/positive integers/);
  });

  it('draws the same noise for the same (seed, stream, step), and different noise otherwise', () => {
    const a = latentNoise(4, 3, 9, 1, 5).arraySync();
    expect(latentNoise(4, 3, 9, 1, 5).arraySync()).toEqual(a);
    expect(latentNoise(4, 3, 9, 1, 6).arraySync()).not.toEqual(a);
    expect(latentNoise(4, 3, 9, 2, 5).arraySync()).not.toEqual(a);
  });

  describe('against PyTorch with the same weights', () => {
    const dir = mkdtempSync(join(tmpdir(), 'awb-vae-'));
    let vae: Vae;
    let x: tf.Tensor2D;
    let eps: tf.Tensor2D;
    let background: tf.Tensor2D;
    let cloudRows: Float32Array;
    let ref: Record<string, number[]> & { parameters: number };

    beforeAll(async () => {
      await useBackend('wasm');
      vae = buildVae({ ...CHENG_VAE, seed: 7 });
      randomiseWeights(vae);
      x = tf.randomNormal([ROWS, 80], 0, 1, 'float32', 1) as tf.Tensor2D;
      eps = latentNoise(ROWS, 10, 3, 1, 0);
      background = tf.randomNormal([BACKGROUND_ROWS, 80], 0, 1, 'float32', 2) as tf.Tensor2D;
      for (const m of [vae.encoder, vae.decoder]) {
        for (const layer of m.layers) {
          const [kernel, bias] = layer.getWeights();
          if (!kernel) continue;
          writeF32(dir, `${layer.name}.kernel`, kernel.dataSync());
          writeF32(dir, `${layer.name}.bias`, bias.dataSync());
        }
      }
      writeF32(dir, 'x', x.dataSync());
      writeF32(dir, 'eps', eps.dataSync());
      writeF32(dir, 'background', background.dataSync());
      const cloud = tf.tidy(() => tf.matMul(tf.randomNormal([CLOUD.rows, CLOUD.dim], 0, 1, 'float32', 4), tf.tensor2d([[2, 0, 0, 0], [1, 1, 0, 0], [0, 0.5, 0.3, 0], [0, 0, 1, 4]])));
      cloudRows = cloud.dataSync() as Float32Array;
      writeF32(dir, 'cloud', cloudRows);
      cloud.dispose();
      writeFileSync(
        join(dir, 'spec.json'),
        JSON.stringify({ ...CHENG_VAE, rows: ROWS, beta: BETA, backgroundRows: BACKGROUND_ROWS, cloudRows: CLOUD.rows, cloudDim: CLOUD.dim }),
      );
      execFileSync('/usr/bin/python3', [join(__dirname, 'vae_reference.py'), dir], { stdio: 'pipe' });
      ref = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    });

    afterAll(() => {
      disposeVae(vae);
      tf.dispose([x, eps, background]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('has as many parameters as the torch twin', () => {
      expect(ref.parameters).toBe(125_796);
    });

    it('gives the same μ, log σ², reconstruction (fixed ε) and per-example MSE, KL, β-loss', () => {
      const got = tf.tidy(() => {
        const out = vaeForward(vae, x, eps);
        const mse = reconstructionMsePerExample(x, out.reconstruction);
        const kl = klPerExample(out.mu, out.logVar);
        return { mu: out.mu, logvar: out.logVar, recon: out.reconstruction, mse, kl, betaLoss: betaVaeLossPerExample(mse, kl, BETA) };
      });
      for (const key of ['mu', 'logvar', 'recon', 'mse', 'kl', 'betaLoss'] as const) expectClose(got[key].dataSync(), ref[key], 1e-5);
      tf.dispose(Object.values(got));
    });

    it('scores rows like torch + numpy: MSE (z = μ), KL, ‖μ‖, β-loss, Mahalanobis to the background μ', async () => {
      const s = await latentScores(vae, x, { beta: BETA, batchSize: 5, background });
      expect(s.ridge).toBe(0);
      expectClose(s.mse, ref.mse0, 1e-5);
      expectClose(s.kl, ref.kl, 1e-5);
      expectClose(s.muNorm, ref.muNorm, 1e-5);
      expectClose(s.betaLoss, ref.mse0.map((m, i) => m + BETA * ref.kl[i]), 1e-5);
      expectClose(s.mahalanobis, ref.mahalanobis, 1e-4);
    });

    it('computes Mahalanobis distances like numpy (np.cov, np.linalg.solve) on a correlated point cloud', () => {
      const g = fitLatentGaussian(cloudRows, CLOUD.rows, CLOUD.dim);
      expect(g.ridge).toBe(0);
      expectClose(mahalanobisDistances(cloudRows, CLOUD.rows, g), ref.cloudMahalanobis, 1e-6);
    });

    it('saves and loads (TF.js layers format + config) to the same outputs', async () => {
      const saved = await serializeVae(vae);
      await expect(deserializeVae({ ...saved, config: '{"inputDim": 80}' }, '/runs/r1')).rejects.toThrow(/\/runs\/r1: input.*widths undefined/);
      await expect(deserializeVae({ ...saved, config: JSON.stringify({ ...CHENG_VAE, inputDim: 81, seed: 7 }) }, '/runs/r1')).rejects.toThrow(
        /\/runs\/r1: the saved models \(input 80, latent 10\) do not match/,
      );
      const loaded = await deserializeVae(saved);
      expect(loaded.config).toEqual(vae.config);
      const [a, b] = [vae, loaded].map((v) => tf.tidy(() => vaeForward(v, x, eps).reconstruction.dataSync()));
      expect(Array.from(b)).toEqual(Array.from(a));
      disposeVae(loaded);
    });
  });

  it('regularises a singular background covariance with a ridge and reports it', () => {
    // Three points on a line in 2-d: rank-1 covariance.
    const rows = [0, 0, 1, 2, 2, 4];
    const g = fitLatentGaussian(rows, 3, 2);
    expect(g.ridge).toBeGreaterThan(0);
    expect(g.ridge).toBeLessThan(1e-6);
    const d = mahalanobisDistances([1, 2, 1, 3], 2, g);
    expect(Number.isFinite(d[0]) && Number.isFinite(d[1])).toBe(true);
    // On the line, distances are those of the 1-d projection (mean (1, 2)): the point at the mean is 0 away.
    expect(d[0]).toBeCloseTo(0, 6);
    expect(d[1]).toBeGreaterThan(100);
    expect(() => fitLatentGaussian([1, 2], 1, 2)).toThrow(/at least 2 rows/);
  });
});
