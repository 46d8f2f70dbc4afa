// The bottleneck's output for a fixed set of training rows, before training and after every epoch: how
// an autoencoder's latent embedding of the data forms (the topology study's snapshots).
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import * as tfl from '@tensorflow/tfjs-layers';
import { encodeNpy, readNpy, writeNpy } from '../data/npy';

/**
 * The encoder half of an autoencoder built by models/dense-autoencoder.ts or conv-autoencoder.ts: the
 * model up to its last encoder layer (after its activation), sharing the autoencoder's weights.
 */
export function bottleneckModel(model: LayersModel): LayersModel {
  const encoderLayers = model.layers.filter((l) => l.name.startsWith('enc_') || l.name.startsWith('bottleneck'));
  const last = encoderLayers[encoderLayers.length - 1];
  if (!last) throw new Error(`model ${model.name}: no encoder layer (enc_*, bottleneck*) to take the latent snapshots from`);
  return tfl.model({ inputs: model.inputs, outputs: last.output as tfl.SymbolicTensor, name: `${model.name}_encoder` });
}

/** Snapshots of the latent coordinates of `rows` (K examples), one per call to take(). */
export class LatentSnapshots {
  private readonly encoder: LayersModel;
  private readonly snapshots: Float32Array[];
  private readonly latentDim: number;

  /** `previous`: the snapshots of a run this one resumes (epochs 0..checkpoint), kept as they were. */
  constructor(
    model: LayersModel,
    private readonly rows: tf.Tensor,
    previous: Float32Array[] = [],
  ) {
    this.encoder = bottleneckModel(model);
    this.snapshots = [...previous];
    this.latentDim = this.encoder.outputs[0].shape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
  }

  get count(): number {
    return this.snapshots.length;
  }

  /** Appends the encoder's output for the rows with the model's current weights. */
  async take(): Promise<void> {
    const z = tf.tidy(() => this.encoder.predict(this.rows) as tf.Tensor);
    this.snapshots.push((await z.data()) as Float32Array);
    z.dispose();
  }

  /** float32 (snapshots, K, L). */
  toNpy(): Uint8Array {
    return encodeNpy({ shape: this.shape(), data: this.flat() });
  }

  /** Writes the snapshots so far (a resumed run continues from them). */
  async save(path: string): Promise<void> {
    await writeNpy(path, { shape: this.shape(), data: this.flat() });
  }

  private shape(): number[] {
    return [this.snapshots.length, this.rows.shape[0], this.latentDim];
  }

  private flat(): Float32Array {
    const size = this.rows.shape[0] * this.latentDim;
    const out = new Float32Array(this.snapshots.length * size);
    this.snapshots.forEach((s, i) => out.set(s, i * size));
    return out;
  }
}

/** The first `count` snapshots of a file LatentSnapshots.save wrote (those up to a checkpoint's epoch). */
export async function readSnapshots(path: string, count: number): Promise<Float32Array[]> {
  if (!existsSync(path)) throw new Error(`latent snapshots ${path}: missing; the run to resume recorded none`);
  const a = await readNpy(path);
  if (a.shape.length !== 3 || a.shape[0] < count) throw new Error(`latent snapshots ${path}: shape (${a.shape.join(', ')}), need at least ${count} snapshots`);
  const size = a.shape[1] * a.shape[2];
  const data = a.data as Float32Array;
  return Array.from({ length: count }, (_, i) => data.slice(i * size, (i + 1) * size));
}
