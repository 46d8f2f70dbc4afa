// Toy data for the self-test: points on a random linear `latent`-dimensional subspace of
// `features` dimensions plus small isotropic noise, so an autoencoder with a bottleneck of at
// least `latent` can learn to reconstruct it and its loss visibly falls.
import { mulberry32, normalSampler } from '@shared/random';

export interface GaussianLatentSpec {
  samples: number;
  features: number;
  latent: number;
  seed: number;
  /** Standard deviation of the isotropic noise added in feature space. */
  noise?: number;
}

export function gaussianLatentData(spec: GaussianLatentSpec): Float32Array {
  const { samples, features, latent } = spec;
  const normal = normalSampler(mulberry32(spec.seed));
  const noise = spec.noise ?? 0.05;
  const mixing = Float64Array.from({ length: latent * features }, () => normal() / Math.sqrt(latent));
  const out = new Float32Array(samples * features);
  const z = new Float64Array(latent);
  for (let i = 0; i < samples; i++) {
    for (let k = 0; k < latent; k++) z[k] = normal();
    for (let j = 0; j < features; j++) {
      let v = noise * normal();
      for (let k = 0; k < latent; k++) v += z[k] * mixing[k * features + j];
      out[i * features + j] = v;
    }
  }
  return out;
}
