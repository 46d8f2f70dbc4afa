// AnomalyCLR's transformer encoder (physics.md §5.2, `TransformerEncoder.py`) as a TF.js Layers model, so it saves
// and loads in the layers-model format like the other models (save-model.ts; the custom layers register
// themselves with TF.js's serialisation):
//
//   objects (B, N, inputDim) → linear embedding → `layers` × post-norm encoder layer → zero the empty slots and sum
//   over objects → `headLayers` × (ReLU → Linear) → representation (B, outputDim).
//
// An encoder layer is PyTorch's nn.TransformerEncoderLayer (ReLU, norm_first = False): x = LN(x + Drop(MHA(x))),
// x = LN(x + Drop(W2·Drop(ReLU(W1·x)))), LayerNorm ε = 1e-5. Empty slots (pT = 0) are masked as attention keys
// and left out of the sum, so the representation depends neither on the order of the objects nor on how many
// empty slots pad the list; N is free (19 for ADC2021 events).
import { initializers, layers, model, input, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { LayerNorm } from './layers/layer-norm';
import { MaskedSumPooling } from './layers/masked-sum-pooling';
import { MultiHeadSelfAttention } from './layers/multi-head-self-attention';
import { PaddingMask } from './layers/padding-mask';
import { SeededDropout } from './layers/seeded-dropout';

export interface TransformerEncoderConfig {
  /** Features per object: 7 = (pT, η, φ, one-hot type), 8 with (sin φ, cos φ). */
  inputDim: number;
  modelDim: number;
  outputDim: number;
  heads: number;
  feedForwardDim: number;
  layers: number;
  headLayers: number;
  dropout: number;
  seed: number;
}

/** The tutorial's hyper-parameters (physics.md §5.2). */
export const ANOMALYCLR_ENCODER: Omit<TransformerEncoderConfig, 'inputDim' | 'seed'> = {
  modelDim: 136,
  outputDim: 136,
  heads: 4,
  feedForwardDim: 136,
  layers: 4,
  headLayers: 2,
  dropout: 0.1,
};

function checkConfig(cfg: TransformerEncoderConfig): void {
  for (const key of ['inputDim', 'modelDim', 'outputDim', 'heads', 'feedForwardDim', 'layers'] as const) {
    if (!(Number.isInteger(cfg[key]) && cfg[key] > 0)) throw new Error(`transformer encoder: ${key} must be a positive integer, got ${cfg[key]}`);
  }
  if (!(Number.isInteger(cfg.headLayers) && cfg.headLayers >= 0)) {
    throw new Error(`transformer encoder: headLayers must be a non-negative integer, got ${cfg.headLayers}`);
  }
  if (cfg.modelDim % cfg.heads !== 0) throw new Error(`transformer encoder: modelDim ${cfg.modelDim} is not a multiple of ${cfg.heads} heads`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`transformer encoder: dropout must be in [0, 1), got ${cfg.dropout}`);
}

/** Builds layers with distinct, reproducible seeds for initialisers and dropout masks. */
class Seeds {
  private next = 0;
  constructor(private readonly base: number) {}
  take(): number {
    return this.base + 1000 * this.next++;
  }
}

function linear(units: number, name: string, seeds: Seeds, activation?: 'relu'): layers.Layer {
  return layers.dense({ units, name, activation, kernelInitializer: initializers.glorotUniform({ seed: seeds.take() }) });
}

function encoderLayer(x: SymbolicTensor, mask: SymbolicTensor, i: number, cfg: TransformerEncoderConfig, seeds: Seeds): SymbolicTensor {
  const p = `layer${i}`;
  const dropout = (name: string) => new SeededDropout({ rate: cfg.dropout, seed: seeds.take(), name: `${p}_${name}` });
  const attention = new MultiHeadSelfAttention({ heads: cfg.heads, dropout: cfg.dropout, seed: seeds.take(), name: `${p}_attention` });
  let a = attention.apply([x, mask]) as SymbolicTensor;
  a = dropout('dropout1').apply(a) as SymbolicTensor;
  x = layers.add({ name: `${p}_residual1` }).apply([x, a]) as SymbolicTensor;
  x = new LayerNorm({ epsilon: 1e-5, name: `${p}_norm1` }).apply(x) as SymbolicTensor;
  let f = linear(cfg.feedForwardDim, `${p}_linear1`, seeds, 'relu').apply(x) as SymbolicTensor;
  f = dropout('dropout').apply(f) as SymbolicTensor;
  f = linear(cfg.modelDim, `${p}_linear2`, seeds).apply(f) as SymbolicTensor;
  f = dropout('dropout2').apply(f) as SymbolicTensor;
  x = layers.add({ name: `${p}_residual2` }).apply([x, f]) as SymbolicTensor;
  return new LayerNorm({ epsilon: 1e-5, name: `${p}_norm2` }).apply(x) as SymbolicTensor;
}

/** The encoder: (B, N, inputDim) object lists → (B, outputDim) representations (modelDim without a head). */
export function transformerEncoder(cfg: TransformerEncoderConfig): LayersModel {
  checkConfig(cfg);
  const seeds = new Seeds(cfg.seed);
  const objects = input({ shape: [null, cfg.inputDim], name: 'objects' });
  const mask = new PaddingMask({ name: 'padding_mask' }).apply(objects) as SymbolicTensor;
  let x = linear(cfg.modelDim, 'embedding', seeds).apply(objects) as SymbolicTensor;
  for (let i = 0; i < cfg.layers; i++) x = encoderLayer(x, mask, i, cfg, seeds);
  x = new MaskedSumPooling({ name: 'sum_pooling' }).apply([x, mask]) as SymbolicTensor;
  for (let i = 0; i < cfg.headLayers; i++) {
    x = layers.reLU({ name: `head${i}_relu` }).apply(x) as SymbolicTensor;
    x = linear(cfg.outputDim, `head${i}_linear`, seeds).apply(x) as SymbolicTensor;
  }
  return model({ inputs: objects, outputs: x, name: 'transformer_encoder' });
}
