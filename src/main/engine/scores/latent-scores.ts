// Per-example anomaly scores of a trained VAE (larger = more anomalous): input-space MSE, KL, ‖μ‖,
// the Mahalanobis distance of μ to the background's latent distribution, and the β-VAE loss.
import * as tf from '@tensorflow/tfjs-core';
import { latentNoise, vaeForward, type Vae } from '../models/vae';
import { betaVaeLossPerExample, klPerExample, reconstructionMsePerExample } from '../train/vae-losses';

export interface LatentScoreOptions {
  /** β of the combined score MSE + β·KL. */
  beta: number;
  batchSize: number;
  /** Input rows (typically background training jets) whose μ define the reference latent Gaussian. */
  background: tf.Tensor2D;
  featureWeights?: tf.Tensor1D;
  /** Decode a sampled z with this seed; by default z = μ (ε = 0), so the scores are deterministic. */
  noiseSeed?: number;
}

export interface LatentScores {
  mse: Float32Array;
  kl: Float32Array;
  muNorm: Float32Array;
  mahalanobis: Float32Array;
  betaLoss: Float32Array;
  /** Ridge added to the background covariance's diagonal because it was singular; 0 when none was needed. */
  ridge: number;
}

/** A Gaussian by its mean and the lower Cholesky factor L (row-major, d × d) of its covariance. */
export interface LatentGaussian {
  dim: number;
  mean: Float64Array;
  cholesky: Float64Array;
  ridge: number;
}

/** In-place Cholesky of a row-major SPD matrix; false if a pivot is not clearly positive. */
function choleskyInPlace(a: Float64Array, d: number, minPivot: number): boolean {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= a[j * d + k] ** 2;
    if (!(s > minPivot)) return false;
    const pivot = Math.sqrt(s);
    a[j * d + j] = pivot;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = t / pivot;
    }
    for (let k = j + 1; k < d; k++) a[j * d + k] = 0;
  }
  return true;
}

/**
 * Mean and Cholesky factor of the sample covariance (N − 1 denominator, as numpy's cov) of `rows`
 * (n × d, row-major), in float64. A singular covariance (e.g. collapsed latent dimensions, common in
 * VAEs) gets a ridge of 1e-10 × (mean variance), raised tenfold until the factorisation succeeds.
 */
export function fitLatentGaussian(rows: ArrayLike<number>, n: number, d: number): LatentGaussian {
  if (n < 2) throw new Error(`Mahalanobis score: the background needs at least 2 rows, got ${n}`);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += rows[r * d + j] / n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) c[j] = rows[r * d + j] - mean[j];
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) cov[i * d + j] += (c[i] * c[j]) / (n - 1);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[j * d + i] = cov[i * d + j];
  let trace = 0;
  for (let i = 0; i < d; i++) trace += cov[i * d + i];
  const scale = trace > 0 ? trace / d : 1;
  // Pivots below this are rounding noise of a singular matrix, not variance.
  const minPivot = 1e-13 * scale;
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-10 * scale : ridge * 10) {
    const a = Float64Array.from(cov);
    for (let i = 0; i < d; i++) a[i * d + i] += ridge;
    if (choleskyInPlace(a, d, minPivot)) return { dim: d, mean, cholesky: a, ridge };
    if (ridge > scale) throw new Error(`Mahalanobis score: the background covariance is not positive semi-definite (ridge ${ridge} did not help)`);
  }
}

/** √((x − m)ᵀ Σ⁻¹ (x − m)) per row, by forward substitution L y = x − m (no matrix inverse). */
export function mahalanobisDistances(points: ArrayLike<number>, n: number, g: LatentGaussian): Float32Array {
  const d = g.dim;
  const out = new Float32Array(n);
  const y = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    let sq = 0;
    for (let i = 0; i < d; i++) {
      let t = points[r * d + i] - g.mean[i];
      for (let k = 0; k < i; k++) t -= g.cholesky[i * d + k] * y[k];
      y[i] = t / g.cholesky[i * d + i];
      sq += y[i] * y[i];
    }
    out[r] = Math.sqrt(sq);
  }
  return out;
}

/** μ of every row, encoded in batches. */
async function encodeMeans(vae: Vae, x: tf.Tensor2D, batchSize: number): Promise<Float32Array> {
  const n = x.shape[0];
  const out = new Float32Array(n * vae.config.latentDim);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const mu = tf.tidy(() => (vae.encoder.predict(tf.slice(x, start, size)) as tf.Tensor[])[0]);
    out.set((await mu.data()) as Float32Array, start * vae.config.latentDim);
    mu.dispose();
  }
  return out;
}

export async function latentScores(vae: Vae, x: tf.Tensor2D, opts: LatentScoreOptions): Promise<LatentScores> {
  const { inputDim, latentDim } = vae.config;
  for (const [t, what] of [[x, 'scored rows'], [opts.background, 'background rows']] as const) {
    if (t.rank !== 2 || t.shape[1] !== inputDim) throw new Error(`VAE scores: the ${what} must be rows × ${inputDim} features, got shape [${t.shape}]`);
  }
  const n = x.shape[0];
  const gaussian = fitLatentGaussian(await encodeMeans(vae, opts.background, opts.batchSize), opts.background.shape[0], latentDim);
  const scores = { mse: new Float32Array(n), kl: new Float32Array(n), muNorm: new Float32Array(n), betaLoss: new Float32Array(n) };
  const mus = new Float32Array(n * latentDim);
  for (let start = 0, b = 0; start < n; start += opts.batchSize, b++) {
    const size = Math.min(opts.batchSize, n - start);
    const parts = tf.tidy(() => {
      const xb = tf.slice(x, start, size);
      const eps = opts.noiseSeed === undefined ? tf.zeros([size, latentDim]) : latentNoise(size, latentDim, opts.noiseSeed, 0, b);
      const out = vaeForward(vae, xb, eps as tf.Tensor2D);
      const mse = reconstructionMsePerExample(xb, out.reconstruction, opts.featureWeights);
      const kl = klPerExample(out.mu, out.logVar);
      return { mu: out.mu, mse, kl, muNorm: tf.norm(out.mu, 'euclidean', 1), betaLoss: betaVaeLossPerExample(mse, kl, opts.beta) };
    });
    mus.set((await parts.mu.data()) as Float32Array, start * latentDim);
    for (const key of ['mse', 'kl', 'muNorm', 'betaLoss'] as const) scores[key].set((await parts[key].data()) as Float32Array, start);
    tf.dispose(Object.values(parts));
  }
  return { ...scores, mahalanobis: mahalanobisDistances(mus, n, gaussian), ridge: gaussian.ridge };
}
