// Data-parallel training across worker threads: every replica holds the same model and optimiser,
// computes the gradients of its shard of each batch, and the replicas sum them through shared
// memory. All replicas then apply the same sum, so their weights and Adam state stay bit-identical.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { reconstructionLoss } from './reconstruction-loss';

// Control words at the start of the shared buffer.
const ARRIVED = 0;
const GENERATION = 1;
const STOP = 2;
const ABORT = 3;
const CONTROL_WORDS_BYTES = 4 * Int32Array.BYTES_PER_ELEMENT;
/** Float64 slots after the control words that carry rank 0's per-epoch decisions to every replica. */
export const BROADCAST_VALUES = 4;
const CONTROL_BYTES = CONTROL_WORDS_BYTES + BROADCAST_VALUES * Float64Array.BYTES_PER_ELEMENT;
/** How often a waiting replica re-checks the abort flag even without a wake-up. */
const WAIT_SLICE_MS = 100;

type WaitAsync = (a: Int32Array, index: number, value: number, timeout: number) => { async: boolean; value: Promise<string> | string };
// Node 20 has Atomics.waitAsync; the ES2023 library TypeScript compiles against does not declare it.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Values per replica region: one float per trainable parameter plus the shard's loss. */
export function regionLength(parameters: number): number {
  return parameters + 1;
}

/** The shared memory of an all-reduce between `count` replicas of a model with `parameters` trainable parameters. */
export function createReduceBuffer(count: number, parameters: number): SharedArrayBuffer {
  if (!Number.isInteger(count) || count < 1) throw new Error(`data-parallel: replica count must be a positive integer, got ${count}`);
  return new SharedArrayBuffer(CONTROL_BYTES + count * regionLength(parameters) * Float32Array.BYTES_PER_ELEMENT);
}

/** Releases every replica waiting on `buffer`'s all-reduce with a DataParallelAbort. */
export function abortAllReduce(buffer: SharedArrayBuffer): void {
  const control = new Int32Array(buffer, 0, 4);
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, GENERATION);
}

export class DataParallelAbort extends Error {
  constructor() {
    super('data-parallel training aborted: another replica failed');
  }
}

/**
 * One replica's view of the all-reduce. Waits are asynchronous (Atomics.waitAsync), so the thread's
 * event loop keeps running while it waits: a replica failure reported by message is still seen.
 */
export class GradientReducer {
  readonly rank: number;
  readonly count: number;
  private readonly buffer: SharedArrayBuffer;
  private readonly control: Int32Array;
  private readonly regions: Float32Array[];
  private readonly broadcastSlots: Float64Array;

  constructor(buffer: SharedArrayBuffer, rank: number, count: number) {
    const length = (buffer.byteLength - CONTROL_BYTES) / Float32Array.BYTES_PER_ELEMENT / count;
    if (!Number.isInteger(length) || length < 1) throw new Error(`data-parallel: a ${buffer.byteLength}-byte buffer does not hold ${count} replica regions`);
    if (!Number.isInteger(rank) || rank < 0 || rank >= count) throw new Error(`data-parallel: rank ${rank} is not in 0..${count - 1}`);
    this.rank = rank;
    this.count = count;
    this.buffer = buffer;
    this.control = new Int32Array(buffer, 0, 4);
    this.broadcastSlots = new Float64Array(buffer, CONTROL_WORDS_BYTES, BROADCAST_VALUES);
    this.regions = Array.from({ length: count }, (_, r) => new Float32Array(buffer, CONTROL_BYTES + r * length * 4, length));
  }

  get aborted(): boolean {
    return Atomics.load(this.control, ABORT) !== 0;
  }

  /** Makes every replica's current and next wait throw, so none waits for a failed one. */
  abort(): void {
    abortAllReduce(this.buffer);
  }

  private async barrier(): Promise<void> {
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, ARRIVED, 1) === this.count - 1) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
    } else {
      while (Atomics.load(this.control, GENERATION) === generation && !this.aborted) {
        const w = waitAsync(this.control, GENERATION, generation, WAIT_SLICE_MS);
        if (!w.async) continue;
        // A pending waitAsync does not keep Node's event loop alive; a thread with nothing else to
        // do would exit in the middle of training. The timer does, and it must outlast the wait's own
        // timeout: a timer due at the same moment can fire first and leave the loop empty (seen under load).
        const keepAlive = setTimeout(() => {}, 2 * WAIT_SLICE_MS + 1000);
        await w.value;
        clearTimeout(keepAlive);
      }
    }
    if (this.aborted) throw new DataParallelAbort();
  }

  /** The element-wise sum of every replica's `values`, added in rank order so that all replicas get the same bits. */
  async allReduce(values: Float32Array): Promise<Float32Array> {
    const own = this.regions[this.rank];
    if (values.length !== own.length) throw new Error(`data-parallel: ${values.length} values to reduce, the buffer holds ${own.length}`);
    own.set(values);
    await this.barrier();
    const sum = new Float32Array(this.regions[0]);
    for (let r = 1; r < this.count; r++) {
      const region = this.regions[r];
      for (let i = 0; i < sum.length; i++) sum[i] += region[i];
    }
    // Nobody may overwrite its region for the next step before everyone has summed this one.
    await this.barrier();
    return sum;
  }

  /** Rank 0's `values` (at most BROADCAST_VALUES numbers, float64) on every replica; the others' are ignored. */
  async broadcast(values: number[]): Promise<number[]> {
    if (values.length > BROADCAST_VALUES) throw new Error(`data-parallel: ${values.length} values to broadcast, at most ${BROADCAST_VALUES} fit`);
    if (this.rank === 0) this.broadcastSlots.set(values);
    await this.barrier();
    const shared = Array.from(this.broadcastSlots.subarray(0, values.length));
    // Rank 0 may not write the next values before everyone has read these.
    await this.barrier();
    return shared;
  }

  /** Rank 0's stop decision, the same on every replica after the same batch. */
  async agreeStop(stop: boolean): Promise<boolean> {
    if (this.rank === 0 && stop) Atomics.store(this.control, STOP, 1);
    await this.barrier();
    return Atomics.load(this.control, STOP) !== 0;
  }
}

/** Rows [offset, offset + length) of a batch of `size` that `rank` of `count` trains on; sizes differ by at most one. */
export function shardOf(size: number, rank: number, count: number): { offset: number; length: number } {
  const base = Math.floor(size / count);
  const extra = size % count;
  return { offset: rank * base + Math.min(rank, extra), length: base + (rank < extra ? 1 : 0) };
}

export function trainableParameterCount(model: LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.read().size, 0);
}

/**
 * One optimiser step on the batch `order[start, start + size)` of `train`, shared between the
 * replicas: this one's shard loss is weighted by shard / batch size, so the summed gradients and
 * loss are those of the whole batch's mean. Returns the batch loss.
 */
export async function dataParallelStep(
  model: LayersModel,
  optimizer: tf.Optimizer,
  train: tf.Tensor,
  order: tf.Tensor1D,
  start: number,
  size: number,
  reducer: GradientReducer,
): Promise<number> {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const parameters = variables.reduce((n, v) => n + v.size, 0);
  const local = new Float32Array(regionLength(parameters));
  const shard = shardOf(size, reducer.rank, reducer.count);
  if (shard.length > 0) {
    const { value, grads } = optimizer.computeGradients(
      () =>
        tf.tidy(() => {
          const xb = tf.gather(train, tf.slice(order, start + shard.offset, shard.length));
          return tf.mul(reconstructionLoss(model, xb), shard.length / size) as tf.Scalar;
        }),
      variables,
    );
    let at = 0;
    for (const v of variables) {
      local.set(await grads[v.name].data(), at);
      at += v.size;
    }
    local[parameters] = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
  }
  const sum = await reducer.allReduce(local);
  const summed: tf.NamedTensorMap = {};
  let at = 0;
  for (const v of variables) {
    summed[v.name] = tf.tensor(sum.subarray(at, at + v.size), v.shape, 'float32');
    at += v.size;
  }
  optimizer.applyGradients(summed);
  tf.dispose(Object.values(summed));
  return sum[parameters];
}
