// Starts the worker threads of a data-parallel training run and turns a replica's failure into
// one error: the failing replica's own message, with the others released from the all-reduce.
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendName } from '@shared/api';
import { serializeModel } from '../models/save-model';
import { abortAllReduce, createReduceBuffer, trainableParameterCount } from '../train/data-parallel';
import { startJob, type JobHandle } from './job-runner';
import type { ReplicaGroupSpec, WorkerMessage } from './protocol';

/** How long to wait for a failed replica's message after the all-reduce reported the abort. */
const ERROR_GRACE_MS = 5000;

export interface ReplicaGroup {
  /** Resolves when every started replica has finished; rejects with the first failure. */
  done: Promise<void>;
  /** The first replica failure, waiting briefly for it to arrive; null if none came. */
  failure(): Promise<Error | null>;
  /** Asks rank 0 (when it is one of the started ranks) to stop after its current batch. */
  cancel(): void;
  terminate(): Promise<void>;
}

/** Backends that run on the CPU cores, where replicas on one thread each use them better than XNNPACK's threads. */
export function dataParallelBackend(name: BackendName): boolean {
  return name === 'wasm' || name === 'cpu';
}

/** The spec of a group of `count` replicas training `model` on `train`, both as they are now. */
export async function replicaGroupSpec(
  model: LayersModel,
  train: tf.Tensor,
  backend: BackendName,
  count: number,
  fit: Pick<ReplicaGroupSpec, 'epochs' | 'batchSize' | 'learningRate' | 'seed' | 'resumeFrom'>,
): Promise<ReplicaGroupSpec> {
  const values = await train.data();
  if (!(values instanceof Float32Array)) throw new Error(`data-parallel training needs float32 examples, got ${train.dtype}`);
  const data = new SharedArrayBuffer(values.byteLength);
  new Float32Array(data).set(values);
  return {
    backend,
    count,
    reduceBuffer: createReduceBuffer(count, trainableParameterCount(model)),
    model: await serializeModel(model),
    data,
    shape: train.shape,
    ...fit,
  };
}

/** Starts `ranks` of the group described by `spec` as worker threads; `onMessage` gets rank 0's progress. */
export function startReplicas(spec: ReplicaGroupSpec, ranks: number[], onMessage?: (m: WorkerMessage) => void): ReplicaGroup {
  const handles: JobHandle<null>[] = ranks.map((rank) => startJob({ kind: 'train-replica', ...spec, rank }, rank === 0 ? onMessage : undefined));
  let first: Error | null = null;
  const failed = new Promise<Error>((resolve) => {
    for (const [i, h] of handles.entries()) {
      h.result.catch((err: unknown) => {
        const error = new Error(`data-parallel replica ${ranks[i]} failed: ${err instanceof Error ? err.message : String(err)}`);
        first ??= error;
        abortAllReduce(spec.reduceBuffer);
        resolve(first);
      });
    }
  });
  const done = Promise.all(handles.map((h) => h.result)).then(
    () => undefined,
    async () => {
      throw await failed;
    },
  );
  done.catch(() => {});
  return {
    done,
    failure: async () => first ?? (await Promise.race([failed, new Promise<null>((r) => setTimeout(() => r(null), ERROR_GRACE_MS))])),
    cancel: () => handles[ranks.indexOf(0)]?.cancel(),
    terminate: async () => {
      await Promise.all(handles.map((h) => h.terminate()));
    },
  };
}
