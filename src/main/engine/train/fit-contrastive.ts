// AnomalyCLR training (physics.md §5): the transformer encoder learns representations in which each event sits
// close to its physically augmented view and (anomclr, anomclr+) far from its anomalously augmented one. Adam,
// seeded shuffling and augmentations (one mulberry32 stream, so a seed fixes the whole run on a given backend),
// a per-epoch loss callback and a cancel check between batches. Inputs are the (N, 19, 7) object lists of
// represent/event-objects.ts with their scaling; an encoder with 8 inputs gets (sin φ, cos φ) in place of φ'
// after the augmentations, as the reference's apply_sin. computeRepresentations then maps events through the
// frozen encoder, for the dense autoencoder that gives the anomaly score (§5.5).
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { mulberry32, permutation } from '@shared/random';
import { anomalousAugment, physicalAugment, type AnomalousAugmentOptions, type PhysicalAugmentOptions } from '../data/augmentations';
import type { EventObjectScaling } from '../represent/event-objects';
import { contrastiveLoss, type ContrastiveLossName } from './contrastive-losses';

const SLOTS = 19;
const WIDTH = 7;

export interface ContrastiveViews {
  loss: ContrastiveLossName;
  /** τ; the tutorial uses 0.1. */
  temperature: number;
  batchSize: number;
  seed: number;
  /** The scaling the object lists were made with (augmentations work in GeV and radians). */
  scaling: EventObjectScaling;
  physical?: PhysicalAugmentOptions;
  anomalous?: AnomalousAugmentOptions;
}

export interface ContrastiveFitOptions extends ContrastiveViews {
  epochs: number;
  learningRate: number;
  onBatch?: (p: { epoch: number; batch: number; batches: number; loss: number }) => void;
  onEpoch?: (e: ContrastiveEpoch) => void | Promise<void>;
  /** Polled between batches; true ends training after the current batch. */
  shouldStop?: () => boolean;
}

export interface ContrastiveEpoch {
  epoch: number;
  /** Mean loss over the epoch's batches, weighted by batch size. */
  trainLoss: number;
  seconds: number;
}

export interface ContrastiveFitResult {
  epochs: ContrastiveEpoch[];
  stopped: boolean;
}

function inputWidth(encoder: LayersModel): number {
  const width = encoder.inputs[0].shape[2];
  if (width !== 7 && width !== 8) throw new Error(`contrastive training: the encoder takes ${width} features per object; 7 or 8 are supported`);
  return width;
}

function checkObjects(objects: Float32Array, n: number): void {
  if (!Number.isInteger(n) || n < 0 || objects.length !== n * SLOTS * WIDTH) {
    throw new Error(`contrastive training: expected ${n} events × ${SLOTS} slots × ${WIDTH} features = ${n * SLOTS * WIDTH} numbers, got ${objects.length}`);
  }
}

/** (count, 19, width) model input: the lists as they are, or with φ' replaced by (sin φ, cos φ) (0, 0 for empty slots). */
function modelInput(objects: Float32Array, count: number, width: number, s: EventObjectScaling): tf.Tensor3D {
  if (width === WIDTH) return tf.tensor3d(objects, [count, SLOTS, WIDTH]);
  const out = new Float32Array(count * SLOTS * 8);
  for (let i = 0; i < count * SLOTS; i++) {
    const [src, dst] = [i * WIDTH, i * 8];
    if (!(objects[src] > 0)) continue;
    const phi = objects[src + 2] * s.phiScale;
    out.set([objects[src], objects[src + 1], Math.sin(phi), Math.cos(phi)], dst);
    out.set(objects.subarray(src + 3, src + WIDTH), dst + 4);
  }
  return tf.tensor3d(out, [count, SLOTS, 8]);
}

function gatherEvents(objects: Float32Array, order: Int32Array, start: number, count: number): Float32Array {
  const out = new Float32Array(count * SLOTS * WIDTH);
  const size = SLOTS * WIDTH;
  for (let k = 0; k < count; k++) out.set(objects.subarray(order[start + k] * size, (order[start + k] + 1) * size), k * size);
  return out;
}

/** The three views of a batch: original, physical augmentation, anomalous augmentation (null for clr). */
function views(batch: Float32Array, count: number, width: number, v: ContrastiveViews, uniform: () => number): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D | null] {
  const s = v.scaling;
  const physical = physicalAugment(batch, count, s, uniform, v.physical);
  const anomalous = v.loss === 'clr' ? null : anomalousAugment(batch, count, s, uniform, v.anomalous);
  return [modelInput(batch, count, width, s), modelInput(physical, count, width, s), anomalous && modelInput(anomalous, count, width, s)];
}

function batchLoss(encoder: LayersModel, xs: [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D | null], v: ContrastiveViews, training: boolean): tf.Scalar {
  const rep = (x: tf.Tensor3D) => encoder.apply(x, { training }) as tf.Tensor2D;
  return contrastiveLoss(v.loss, rep(xs[0]), rep(xs[1]), xs[2] && rep(xs[2]), v.temperature);
}

/** Batch starts and sizes of one pass; a last batch of one event is dropped (it has no negatives). */
function batchPlan(n: number, batchSize: number): [number, number][] {
  const plan: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) plan.push([start, Math.min(batchSize, n - start)]);
  return plan.filter(([, size]) => size >= 2);
}

function checkCommon(n: number, v: ContrastiveViews): void {
  if (n < 2) throw new Error(`contrastive training: at least 2 events are needed, got ${n}`);
  if (!(Number.isInteger(v.batchSize) && v.batchSize >= 2)) throw new Error(`contrastive training: the batch size must be an integer ≥ 2, got ${v.batchSize}`);
}

export async function fitContrastive(encoder: LayersModel, objects: Float32Array, n: number, opts: ContrastiveFitOptions): Promise<ContrastiveFitResult> {
  checkObjects(objects, n);
  checkCommon(n, opts);
  const width = inputWidth(encoder);
  const plan = batchPlan(n, opts.batchSize);
  const optimizer = tf.train.adam(opts.learningRate);
  const uniform = mulberry32(opts.seed);
  // Only this encoder's weights: other models alive in the thread must not be touched.
  const weights = encoder.trainableWeights.map((w) => w.read() as tf.Variable);
  const history: ContrastiveEpoch[] = [];
  let stopped = false;
  try {
    for (let epoch = 1; epoch <= opts.epochs && !stopped; epoch++) {
      const t0 = performance.now();
      const order = permutation(n, uniform);
      let lossSum = 0;
      let seen = 0;
      for (let b = 0; b < plan.length; b++) {
        const [start, size] = plan[b];
        const xs = views(gatherEvents(objects, order, start, size), size, width, opts, uniform);
        const cost = optimizer.minimize(() => batchLoss(encoder, xs, opts, true), true, weights) as tf.Scalar;
        const loss = (await cost.data())[0];
        tf.dispose([cost, ...xs.filter((x): x is tf.Tensor3D => x != null)]);
        if (!Number.isFinite(loss)) throw new Error(`contrastive training diverged: loss is ${loss} at epoch ${epoch}, batch ${b + 1}`);
        lossSum += loss * size;
        seen += size;
        opts.onBatch?.({ epoch, batch: b + 1, batches: plan.length, loss });
        if (opts.shouldStop?.()) {
          stopped = true;
          break;
        }
      }
      if (stopped) break;
      const result = { epoch, trainLoss: lossSum / seen, seconds: (performance.now() - t0) / 1000 };
      history.push(result);
      await opts.onEpoch?.(result);
    }
  } finally {
    optimizer.dispose();
  }
  return { epochs: history, stopped };
}

/** The loss of the frozen encoder (no dropout) on a set, with augmentations drawn from `seed`: a validation loss. */
export async function evaluateContrastiveLoss(encoder: LayersModel, objects: Float32Array, n: number, v: ContrastiveViews): Promise<number> {
  checkObjects(objects, n);
  checkCommon(n, v);
  const width = inputWidth(encoder);
  const uniform = mulberry32(v.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let total = 0;
  let seen = 0;
  for (const [start, size] of batchPlan(n, v.batchSize)) {
    const xs = views(gatherEvents(objects, order, start, size), size, width, v, uniform);
    const loss = tf.tidy(() => batchLoss(encoder, xs, v, false));
    total += (await loss.data())[0] * size;
    seen += size;
    tf.dispose([loss, ...xs.filter((x): x is tf.Tensor3D => x != null)]);
  }
  return total / seen;
}

/** Representations of every event through the frozen encoder: (n, outputDim) float32, row by row. */
export async function computeRepresentations(
  encoder: LayersModel,
  objects: Float32Array,
  n: number,
  scaling: EventObjectScaling,
  batchSize = 1024,
): Promise<Float32Array> {
  checkObjects(objects, n);
  const width = inputWidth(encoder);
  const dim = encoder.outputs[0].shape[1];
  if (dim == null) throw new Error('computeRepresentations: the encoder output has no fixed width');
  const out = new Float32Array(n * dim);
  const size = SLOTS * WIDTH;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const reps = tf.tidy(() => encoder.predict(modelInput(objects.subarray(start * size, (start + count) * size), count, width, scaling)) as tf.Tensor);
    out.set(await reps.data(), start * dim);
    reps.dispose();
  }
  return out;
}
