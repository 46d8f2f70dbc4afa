// Training checkpoints: everything the training loop needs to continue after a given epoch and reach
// the same weights, bit for bit, as a run that never stopped: the model's weights, Adam's full state
// (including the running float32 products beta^(t+1), which Adam's own setWeights recomputes with
// pow(), off in the last bit at most step counts), the seeded generators' positions, the schedule
// and early-stopping state and the history. One file, written atomically: a crash leaves the previous checkpoint.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { writeFileDurably } from '../durable-file';
import type { EarlyStoppingState } from './early-stopping';
import type { EpochResult } from './fit-autoencoder';
import type { LrState } from './lr-schedule';

export const CHECKPOINT_FILE = 'checkpoint.awbckpt';
const MAGIC = 'AWBCKPT1';
export const CHECKPOINT_VERSION = 1;
/** Magic, then the header's length as a little-endian uint32. */
const PREAMBLE_BYTES = MAGIC.length + 4;

export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface AdamState {
  iterations: number;
  /** beta1^(t+1) and beta2^(t+1) as Adam accumulated them (float32 products). */
  accBeta1: number;
  accBeta2: number;
  /** First moments, then second moments, one per trainable weight in the model's order. */
  moments: NamedArray[];
}

export interface TrainingCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  /** The last completed epoch (1-based). */
  epoch: number;
  seed: number;
  /** Uniform numbers the shuffling generator has drawn so far. */
  rngDraws: number;
  batchSize: number;
  trainRows: number;
  lr: LrState;
  earlyStopping: EarlyStoppingState | null;
  history: EpochResult[];
  /** Every model weight, in the model's order. */
  weights: NamedArray[];
  optimizer: AdamState;
  /** The weights early stopping keeps as the best ones, and their epoch; null when it keeps none. */
  best: { epoch: number; weights: NamedArray[] } | null;
  /**
   * The loop and objective that wrote it, when not the autoencoder loop (absent): fitVae writes
   * 'vae/beta-vae', 'vae/disco' or 'vae/oe/VARIANT'. A run resumes only from a checkpoint of its own kind.
   */
  trainer?: string;
  /** Draws of the loop's further seeded generators, by name, beside the shuffling one (fitVae: 'outlier-shuffle'). */
  rngStreams?: Record<string, number>;
}

// The fields of TF.js's AdamOptimizer that its public API does not reach (tfjs-core 4.x).
interface AdamInternals {
  learningRate: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

function adamInternals(optimizer: tf.Optimizer): AdamInternals {
  const a = optimizer as unknown as Partial<AdamInternals>;
  if (typeof a.learningRate !== 'number' || !(a.accBeta1 instanceof tf.Variable) || !(a.accBeta2 instanceof tf.Variable)) {
    throw new Error(`optimizer ${optimizer.getClassName()}: not a TF.js Adam optimiser of the expected version (learningRate, accBeta1, accBeta2)`);
  }
  return a as AdamInternals;
}

/** Sets the rate Adam uses from its next step on. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  adamInternals(optimizer).learningRate = lr;
}

async function named(name: string, t: tf.Tensor): Promise<NamedArray> {
  // slice(): the backend may hand out its own buffer.
  return { name, shape: t.shape.slice(), values: (await t.data<'float32'>()).slice() };
}

/** The models whose weights a checkpoint holds: one, or several in a fixed order (a VAE's encoder, then its decoder). */
export type WeightOwner = LayersModel | LayersModel[];

const modelsOf = (owner: WeightOwner): LayersModel[] => (Array.isArray(owner) ? owner : [owner]);

/** Copies of every weight of `owner`, model by model, each in its order. */
export async function readWeights(owner: WeightOwner): Promise<NamedArray[]> {
  return Promise.all(modelsOf(owner).flatMap((m) => m.weights.map((w) => named(w.name, w.read()))));
}

function checkShapes(where: string, what: string, arrays: NamedArray[], shapes: number[][]): void {
  if (arrays.length !== shapes.length) throw new Error(`${where}: ${arrays.length} ${what}, the model has ${shapes.length}`);
  arrays.forEach((a, i) => {
    if (a.shape.join(',') !== shapes[i].join(',')) throw new Error(`${where}: ${what} ${i} (${a.name}) has shape [${a.shape}], the model's is [${shapes[i]}]`);
  });
}

export function loadWeights(owner: WeightOwner, arrays: NamedArray[], where: string): void {
  const models = modelsOf(owner);
  checkShapes(where, 'weights', arrays, models.flatMap((m) => m.weights.map((w) => w.shape.map(Number))));
  let at = 0;
  for (const m of models) {
    const tensors = arrays.slice(at, at + m.weights.length).map((a) => tf.tensor(a.values, a.shape, 'float32'));
    at += m.weights.length;
    m.setWeights(tensors);
    tf.dispose(tensors);
  }
}

export async function readAdam(optimizer: tf.Optimizer): Promise<AdamState> {
  const { accBeta1, accBeta2 } = adamInternals(optimizer);
  const [iter, ...moments] = await optimizer.getWeights();
  const iterations = (await iter.tensor.data())[0];
  iter.tensor.dispose();
  return {
    iterations,
    accBeta1: (await accBeta1.data())[0],
    accBeta2: (await accBeta2.data())[0],
    moments: await Promise.all(moments.map((m) => named(m.name, m.tensor))),
  };
}

/** Puts `state` into a fresh Adam optimiser that will train `variables` (in the order it was read). */
export async function loadAdam(optimizer: tf.Optimizer, state: AdamState, variables: tf.Variable[], where: string): Promise<void> {
  const internals = adamInternals(optimizer);
  const shapes = variables.map((v) => v.shape);
  checkShapes(where, 'optimiser moments', state.moments, [...shapes, ...shapes]);
  const tensors = [tf.scalar(state.iterations, 'int32'), ...state.moments.map((m) => tf.tensor(m.values, m.shape, 'float32'))];
  await optimizer.setWeights(tensors.map((tensor, i) => ({ name: i === 0 ? 'iter' : state.moments[i - 1].name, tensor })));
  // The optimiser's variables hold their own references to the data.
  tf.dispose(tensors);
  tf.tidy(() => {
    internals.accBeta1.assign(tf.scalar(state.accBeta1));
    internals.accBeta2.assign(tf.scalar(state.accBeta2));
  });
}

interface ArrayRef {
  name: string;
  shape: number[];
  /** In float32 values from the start of the data section. */
  offset: number;
  length: number;
}

type Header = Omit<TrainingCheckpoint, 'weights' | 'optimizer' | 'best'> & {
  weights: ArrayRef[];
  optimizer: Omit<AdamState, 'moments'> & { moments: ArrayRef[] };
  best: { epoch: number; weights: ArrayRef[] } | null;
};

/**
 * The file: "AWBCKPT1", the header's byte length (uint32 LE), the header (JSON: every field, the
 * arrays as references), zero padding to a multiple of 4 bytes, then every array as float32 (little
 * endian, the byte order of every platform the workbench runs on).
 */
export function encodeCheckpoint(c: TrainingCheckpoint): Uint8Array {
  const arrays: Float32Array[] = [];
  let offset = 0;
  const ref = (a: NamedArray): ArrayRef => {
    arrays.push(a.values);
    offset += a.values.length;
    return { name: a.name, shape: a.shape, offset: offset - a.values.length, length: a.values.length };
  };
  const header: Header = {
    ...c,
    weights: c.weights.map(ref),
    optimizer: { ...c.optimizer, moments: c.optimizer.moments.map(ref) },
    best: c.best && { epoch: c.best.epoch, weights: c.best.weights.map(ref) },
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = Math.ceil((PREAMBLE_BYTES + json.length) / 4) * 4;
  const out = new Uint8Array(dataStart + offset * 4);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, PREAMBLE_BYTES);
  const data = new Float32Array(out.buffer, dataStart, offset);
  let at = 0;
  for (const a of arrays) {
    data.set(a, at);
    at += a.length;
  }
  return out;
}

/** Parses a checkpoint file's bytes; errors name `where` (the file). */
export function decodeCheckpoint(bytes: Uint8Array, where: string): TrainingCheckpoint {
  const fail = (problem: string) => new Error(`checkpoint ${where}: ${problem}`);
  if (bytes.length < PREAMBLE_BYTES || Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) {
    throw fail('not a workbench training checkpoint');
  }
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  if (PREAMBLE_BYTES + headerBytes > bytes.length) throw fail('truncated in the header');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes)).toString('utf8')) as Header;
  } catch (err) {
    throw fail(`the header is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (header.version !== CHECKPOINT_VERSION) throw fail(`version ${header.version} is not supported (this build reads version ${CHECKPOINT_VERSION})`);
  if (!(Number.isInteger(header.epoch) && header.epoch >= 1) || header.history?.length !== header.epoch) {
    throw fail(`epoch ${header.epoch} does not match a history of ${header.history?.length} epochs`);
  }
  const dataStart = Math.ceil((PREAMBLE_BYTES + headerBytes) / 4) * 4;
  const floats = (bytes.length - dataStart) / 4;
  const array = (r: ArrayRef): NamedArray => {
    if (r.length !== r.shape.reduce((p, d) => p * d, 1)) throw fail(`array ${r.name}: ${r.length} values do not fill shape [${r.shape}]`);
    if (!(r.offset >= 0 && r.offset + r.length <= floats)) throw fail(`array ${r.name} runs past the end of the file (truncated?)`);
    const start = bytes.byteOffset + dataStart + 4 * r.offset;
    // A copy: the file's bytes need not be 4-byte aligned in memory.
    return { name: r.name, shape: r.shape, values: new Float32Array(bytes.buffer.slice(start, start + 4 * r.length)) };
  };
  return {
    ...header,
    weights: header.weights.map(array),
    optimizer: { ...header.optimizer, moments: header.optimizer.moments.map(array) },
    best: header.best && { epoch: header.best.epoch, weights: header.best.weights.map(array) },
  };
}

/** Writes `c` as `folder`/checkpoint.awbckpt, replacing the previous one atomically. */
export function writeCheckpoint(folder: string, c: TrainingCheckpoint): void {
  writeFileDurably(join(folder, CHECKPOINT_FILE), encodeCheckpoint(c));
}

/** The checkpoint in `folder`, or null when there is none. */
export function readCheckpoint(folder: string): TrainingCheckpoint | null {
  const path = join(folder, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  return decodeCheckpoint(readFileSync(path), path);
}
