// β-VAE of Cheng et al. (VAE-Jet, tf2/vae.py): encoder input → 256-128-64 (ReLU) → two linear heads
// μ and log σ² (latent 10); z = μ + exp(½ log σ²)·ε; decoder 10 → 64-128-256 (ReLU) → linear output.
// Encoder and decoder are separate Layers models, so each saves in the TF.js layers format; the noise ε
// is an input, not drawn inside the model, which keeps every forward pass reproducible.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { itemSeed, mulberry32, normalSampler } from '@shared/random';
import { deserializeModel, serializeModel } from './save-model';

/** Activations a Dense layer applies itself (Keras names). */
export type VaeActivation = 'relu' | 'elu' | 'selu' | 'tanh' | 'linear';

export interface VaeConfig {
  inputDim: number;
  /** Encoder hidden widths, outermost first; the decoder uses them in reverse. */
  hiddenWidths: number[];
  latentDim: number;
  activation: VaeActivation;
  seed: number;
}

/** The VAE-Jet defaults: 20 constituents × (E, px, py, pz), 125,796 parameters. */
export const CHENG_VAE: Omit<VaeConfig, 'seed'> = { inputDim: 80, hiddenWidths: [256, 128, 64], latentDim: 10, activation: 'relu' };

export interface Vae {
  config: VaeConfig;
  /** x → [μ, log σ²]. */
  encoder: tfl.LayersModel;
  /** z → reconstruction. */
  decoder: tfl.LayersModel;
}

export interface VaeOutputs {
  mu: tf.Tensor2D;
  logVar: tf.Tensor2D;
  z: tf.Tensor2D;
  reconstruction: tf.Tensor2D;
}

function dense(units: number, activation: VaeActivation, name: string, seed: number): tfl.layers.Layer {
  // Keras' Dense defaults (Glorot-uniform kernel, zero bias), seeded so that a model is reproducible.
  return tfl.layers.dense({ units, activation, name, kernelInitializer: tfl.initializers.glorotUniform({ seed }) });
}

function checkConfig(cfg: VaeConfig, source = 'VAE'): void {
  const sizes = [cfg.inputDim, cfg.latentDim, ...(Array.isArray(cfg.hiddenWidths) ? cfg.hiddenWidths : [NaN])];
  if (!sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`${source}: input, latent and hidden sizes must be positive integers, got input ${cfg.inputDim}, latent ${cfg.latentDim}, widths ${JSON.stringify(cfg.hiddenWidths)}`);
  }
}

export function buildVae(cfg: VaeConfig): Vae {
  checkConfig(cfg);
  const input = tfl.input({ shape: [cfg.inputDim], name: 'x' });
  let h: tfl.SymbolicTensor = input;
  cfg.hiddenWidths.forEach((units, i) => {
    h = dense(units, cfg.activation, `enc_dense_${i}`, cfg.seed + i).apply(h) as tfl.SymbolicTensor;
  });
  const k = cfg.hiddenWidths.length;
  const mu = dense(cfg.latentDim, 'linear', 'z_mean', cfg.seed + k).apply(h) as tfl.SymbolicTensor;
  const logVar = dense(cfg.latentDim, 'linear', 'z_log_var', cfg.seed + k + 1).apply(h) as tfl.SymbolicTensor;
  const encoder = tfl.model({ inputs: input, outputs: [mu, logVar], name: 'vae_encoder' });

  const z = tfl.input({ shape: [cfg.latentDim], name: 'z' });
  let g: tfl.SymbolicTensor = z;
  [...cfg.hiddenWidths].reverse().forEach((units, i) => {
    g = dense(units, cfg.activation, `dec_dense_${i}`, cfg.seed + k + 2 + i).apply(g) as tfl.SymbolicTensor;
  });
  const out = dense(cfg.inputDim, 'linear', 'reconstruction', cfg.seed + 2 * k + 2).apply(g) as tfl.SymbolicTensor;
  const decoder = tfl.model({ inputs: z, outputs: out, name: 'vae_decoder' });
  return { config: { ...cfg, hiddenWidths: [...cfg.hiddenWidths] }, encoder, decoder };
}

export function disposeVae(vae: Vae): void {
  vae.encoder.dispose();
  vae.decoder.dispose();
}

export function vaeTrainableWeights(vae: Vae): tf.Variable[] {
  return [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights].map((w) => w.read() as tf.Variable);
}

/** z = μ + exp(½ log σ²)·ε. */
export function reparameterize(mu: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)));
}

/** The full pass with the given noise ε (rows × latent); ε = 0 decodes μ itself. */
export function vaeForward(vae: Vae, x: tf.Tensor2D, eps: tf.Tensor2D, training = false): VaeOutputs {
  const [mu, logVar] = vae.encoder.apply(x, { training }) as tf.Tensor2D[];
  const z = reparameterize(mu, logVar, eps);
  const reconstruction = vae.decoder.apply(z, { training }) as tf.Tensor2D;
  return { mu, logVar, z, reconstruction };
}

/**
 * Standard-normal noise for `rows` examples, a pure function of (seed, stream, step): the same on
 * every backend, so a seeded training run draws the same ε on wasm, cpu or a GPU.
 */
export function latentNoise(rows: number, latentDim: number, seed: number, stream: number, step: number): tf.Tensor2D {
  const normal = normalSampler(mulberry32(itemSeed(seed, stream, step)));
  const values = new Float32Array(rows * latentDim);
  for (let i = 0; i < values.length; i++) values[i] = normal();
  return tf.tensor2d(values, [rows, latentDim]);
}

export interface SummaryRow {
  part: 'encoder' | 'decoder';
  layer: string;
  outputShape: (number | null)[];
  params: number;
}

/** Layer, output shape and parameter count, encoder then decoder (input layers included, 0 params). */
export function vaeSummary(vae: Vae): SummaryRow[] {
  const rows = (part: SummaryRow['part'], m: tfl.LayersModel): SummaryRow[] =>
    m.layers.map((l) => ({ part, layer: l.name, outputShape: l.outputShape as (number | null)[], params: l.countParams() }));
  return [...rows('encoder', vae.encoder), ...rows('decoder', vae.decoder)];
}

export interface SerializedVae {
  /** JSON of the VaeConfig. */
  config: string;
  encoder: { modelJson: string; weights: ArrayBuffer };
  decoder: { modelJson: string; weights: ArrayBuffer };
}

export async function serializeVae(vae: Vae): Promise<SerializedVae> {
  return { config: JSON.stringify(vae.config), encoder: await serializeModel(vae.encoder), decoder: await serializeModel(vae.decoder) };
}

/** The VAE serializeVae wrote; `source` names where it came from in errors. */
export async function deserializeVae(saved: SerializedVae, source = 'VAE'): Promise<Vae> {
  let config: VaeConfig;
  try {
    config = JSON.parse(saved.config) as VaeConfig;
  } catch (err) {
    throw new Error(`${source}: the VAE configuration is not JSON (${(err as Error).message})`);
  }
  checkConfig(config, source);
  const encoder = await deserializeModel(saved.encoder);
  const decoder = await deserializeModel(saved.decoder);
  const inDim = encoder.inputs[0].shape[1];
  const latent = decoder.inputs[0].shape[1];
  if (inDim !== config.inputDim || latent !== config.latentDim) {
    encoder.dispose();
    decoder.dispose();
    throw new Error(`${source}: the saved models (input ${inDim}, latent ${latent}) do not match the configuration (input ${config.inputDim}, latent ${config.latentDim})`);
  }
  return { config, encoder, decoder };
}
