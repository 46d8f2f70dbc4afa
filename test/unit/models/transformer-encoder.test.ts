import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, normalSampler, permutation } from '@shared/random';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { deserializeModel, serializeModel } from '../../../src/main/engine/models/save-model';
import { ANOMALYCLR_ENCODER, transformerEncoder } from '../../../src/main/engine/models/transformer-encoder';
import { fileBuffer } from '../../helpers/files';

const SLOTS = 19;
const WIDTH = 7;
const dense = (nin: number, nout: number) => nin * nout + nout;

/**
 * Toy (B, 19, 7) events in the layout of event-objects.ts: slot 0 MET, 1–4 e, 5–8 μ, 9–18 jets, each class filled
 * from its first slot with a random count; scaled pT > 0, η', φ' in ±1, one-hot type; empty slots all zero.
 * Event 0 holds MET only; the last event fills every slot.
 */
function toyObjects(batch: number, seed: number): Float32Array {
  const u = mulberry32(seed);
  const out = new Float32Array(batch * SLOTS * WIDTH);
  const classes: [number, number, number][] = [[0, 1, 0], [1, 4, 1], [5, 4, 2], [9, 10, 3]]; // first slot, slots, type
  for (let e = 0; e < batch; e++) {
    for (const [first, slots, type] of classes) {
      const count = type === 0 ? 1 : e === 0 ? 0 : e === batch - 1 ? slots : Math.floor(u() * (slots + 1));
      for (let s = 0; s < count; s++) {
        const o = (e * SLOTS + first + s) * WIDTH;
        out[o] = 0.1 + 3 * u();
        out[o + 1] = type === 0 ? 0 : 2 * u() - 1;
        out[o + 2] = 2 * u() - 1;
        out[o + 3 + type] = 1;
      }
    }
  }
  return out;
}

/** Every weight moved off its initial value (biases and LayerNorm β/γ start at 0/1) so all of them matter. */
function perturbWeights(model: LayersModel, seed: number): void {
  const g = normalSampler(mulberry32(seed));
  model.setWeights(
    model.getWeights().map((w) => {
      const v = w.dataSync();
      return tf.tensor(Float32Array.from(v, (x) => x + 0.1 * g()), w.shape);
    }),
  );
}

function represent(model: LayersModel, objects: Float32Array, batch: number, slots = SLOTS): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor3d(objects, [batch, slots, WIDTH])) as tf.Tensor).dataSync() as Float32Array);
}

function expectClose(actual: Float32Array, expected: Float32Array, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThan(tol);
}

/** Layer-wise parameter counts of the encoder, summed by part. */
function partCounts(model: LayersModel): { embedding: number; layers: number[]; head: number } {
  const count = (prefix: string) => model.layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + l.countParams(), 0);
  return {
    embedding: count('embedding'),
    layers: [0, 1, 2, 3].map((i) => count(`layer${i}_`)),
    head: count('head'),
  };
}

describe('transformerEncoder (AnomalyCLR, physics.md §5.2)', () => {
  let dir: string;
  let encoder: LayersModel;
  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'awb-transformer-'));
    encoder = transformerEncoder({ ...ANOMALYCLR_ENCODER, inputDim: WIDTH, seed: 3 });
    perturbWeights(encoder, 5);
  });
  afterAll(() => {
    encoder.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has 487,696 parameters with 7 inputs and 487,832 with 8 (embedding 1,088 | 112,336 per layer | head 37,264)', () => {
    const d = 136;
    // in-projection (q, k, v) + out-projection + feed-forward 136 → 136 → 136 + two LayerNorms
    const layer = dense(d, 3 * d) + dense(d, d) + dense(d, 136) + dense(136, d) + 2 * 2 * d;
    expect(layer).toBe(112_336);
    expect(partCounts(encoder)).toEqual({ embedding: dense(7, d), layers: [layer, layer, layer, layer], head: 2 * dense(d, d) });
    expect(encoder.countParams()).toBe(487_696);
    const eight = transformerEncoder({ ...ANOMALYCLR_ENCODER, inputDim: 8, seed: 1 });
    expect(eight.countParams()).toBe(487_832);
    eight.dispose();
  });

  it('matches PyTorch nn.TransformerEncoder with the same weights on a padded batch (and its parameter count)', () => {
    const batch = 8;
    const objects = toyObjects(batch, 11);
    const manifest: [string, number[]][] = [];
    const chunks: Float32Array[] = [];
    for (const layer of encoder.layers) {
      layer.getWeights().forEach((w, i) => {
        manifest.push([`${layer.name}:${i}`, w.shape]);
        chunks.push(w.dataSync() as Float32Array);
      });
    }
    writeFileSync(join(dir, 'weights.f32'), Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
    writeFileSync(join(dir, 'objects.f32'), objects);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...ANOMALYCLR_ENCODER, inputDim: WIDTH, batch, objects: SLOTS, manifest }));
    execFileSync('/usr/bin/python3', [join(__dirname, 'transformer_reference.py'), dir]);
    const params = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
    expect(params).toEqual({ embedding: 1_088, layer: 112_336, head: 37_264, total: 487_696 });
    const reference = new Float32Array(fileBuffer(join(dir, 'reps.f32')));
    const ours = represent(encoder, objects, batch);
    expect(Math.max(...reference.map(Math.abs))).toBeGreaterThan(1); // not a trivially small output
    expectClose(ours, reference, 1e-4);
  });

  it('is invariant under permutations of the objects within each event', () => {
    const batch = 6;
    const objects = toyObjects(batch, 21);
    const shuffled = new Float32Array(objects.length);
    const u = mulberry32(4);
    for (let e = 0; e < batch; e++) {
      const p = permutation(SLOTS, u);
      for (let s = 0; s < SLOTS; s++) {
        shuffled.set(objects.subarray((e * SLOTS + p[s]) * WIDTH, (e * SLOTS + p[s] + 1) * WIDTH), (e * SLOTS + s) * WIDTH);
      }
    }
    expect(shuffled).not.toEqual(objects);
    expectClose(represent(encoder, shuffled, batch), represent(encoder, objects, batch), 1e-4); // float32 sums in another order
  });

  it('is invariant under adding empty slots', () => {
    const batch = 6;
    const extra = 7;
    const objects = toyObjects(batch, 31);
    const padded = new Float32Array(batch * (SLOTS + extra) * WIDTH);
    for (let e = 0; e < batch; e++) {
      // empty slots in front and at the end of each list
      padded.set(objects.subarray(e * SLOTS * WIDTH, (e + 1) * SLOTS * WIDTH), (e * (SLOTS + extra) + 3) * WIDTH);
    }
    expectClose(represent(encoder, padded, batch, SLOTS + extra), represent(encoder, objects, batch), 1e-4); // float32 sums in another order
  });

  it('changes its representation when an object changes (the invariances are not trivial)', () => {
    const objects = toyObjects(4, 41);
    const moved = objects.slice();
    moved[(2 * SLOTS + 9) * WIDTH] *= 1.5; // a jet's pT
    const a = represent(encoder, objects, 4);
    const b = represent(encoder, moved, 4);
    const diff = (e: number) => Math.max(...a.subarray(e * 136, (e + 1) * 136).map((v, i) => Math.abs(v - b[e * 136 + i])));
    expect(diff(2)).toBeGreaterThan(1e-3);
    expect(diff(1)).toBe(0);
  });

  it('saves and loads in the layers-model format with identical outputs', async () => {
    const objects = toyObjects(5, 51);
    const loaded = await deserializeModel(await serializeModel(encoder));
    expect(loaded.countParams()).toBe(487_696);
    expect(represent(loaded, objects, 5)).toEqual(represent(encoder, objects, 5));
    loaded.dispose();
  });

  it('uses dropout only in training, with masks fixed by the seed', () => {
    const small = { ...ANOMALYCLR_ENCODER, modelDim: 16, outputDim: 8, feedForwardDim: 16, layers: 2, inputDim: WIDTH, dropout: 0.5 };
    const objects = toyObjects(4, 61);
    const run = (seed: number) => {
      const m = transformerEncoder({ ...small, seed });
      const out = tf.tidy(() => {
        const x = tf.tensor3d(objects, [4, SLOTS, WIDTH]);
        const train1 = (m.apply(x, { training: true }) as tf.Tensor).dataSync();
        const train2 = (m.apply(x, { training: true }) as tf.Tensor).dataSync();
        const infer = (m.apply(x) as tf.Tensor).dataSync();
        return { train1, train2, infer };
      });
      m.dispose();
      return out;
    };
    const a = run(7);
    const b = run(7);
    expect(a.train1).toEqual(b.train1);
    expect(a.train2).toEqual(b.train2);
    expect(a.train1).not.toEqual(a.train2); // a new mask per step
    expect(a.train1).not.toEqual(a.infer);
  });

  it('refuses a model dim that the heads do not divide', () => {
    expect(() => transformerEncoder({ ...ANOMALYCLR_ENCODER, modelDim: 30, inputDim: 7, seed: 1 })).toThrow(/not a multiple of 4 heads/);
  });
});
