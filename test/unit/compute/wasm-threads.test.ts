// The multithreaded wasm build under Node's worker_threads: same gradients, two XNNPACK threads.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends.js';
import { MAX_WASM_THREADS, wasmThreadsInUse } from '../../../src/main/engine/compute/wasm-threads.js';
import { convGradientChecks, matMulGradientChecks } from './gradient-checks.js';

describe('wasm backend with 2 threads', () => {
  beforeAll(async () => {
    await expect(useBackend('wasm', { threads: MAX_WASM_THREADS + 1 })).rejects.toThrow('is not an integer from 1 to 8');
    const used = await useBackend('wasm', { threads: 2 });
    expect(used.device).toBe('CPU (SIMD, 2 threads)');
  });

  it('runs XNNPACK on 2 threads', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmThreadsInUse()).toBe(2);
  });

  convGradientChecks();
  matMulGradientChecks();
});
