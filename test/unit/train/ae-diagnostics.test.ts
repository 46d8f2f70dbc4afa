// The diagnostics an autoencoder job records, against independent float64 NumPy/PyTorch computations
// (ae_reference.py) from the stored arrays and the weights: the latent snapshots (shape; epoch 0 = the
// initial encoder, the last = the trained one, on the evenly spaced rows) and the class-mean images of the
// test split (inputs, and reconstructions by the trained weights). The job trains semi-supervised, so the
// outlier plumbing from stored rows runs too.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../src/main/engine/compute/backends';
import { parseNpy, writeNpy } from '../../../src/main/engine/data/npy';
import { SNAPSHOTS_SO_FAR, type TrainAutoencoderJob, type TrainResult } from '../../../src/main/engine/jobs/protocol';
import { readCheckpoint } from '../../../src/main/engine/train/checkpoint';
import { trainAutoencoderJob } from '../../../src/main/engine/jobs/train-autoencoder-job';
import { denseAutoencoder } from '../../../src/main/engine/models/dense-autoencoder';
import { mulberry32 } from '../../../src/shared/random';
import { runPythonJson } from '../../helpers/python-json';
import { AE_REFERENCE as REFERENCE, weightsForReference } from './ae-reference';

const S = 4;
const N = 30;
const WIDTHS = [5, 2];
const SEED = 7;
const EPOCHS = 2;

function expectNear(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1e-3, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * scale);
}

describe('autoencoder job diagnostics', () => {
  let dir: string;
  let images: Float32Array;
  let result: TrainResult;
  let job: TrainAutoencoderJob;
  const train = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22];
  const snapshotRows = [0, 6, 12, 18];
  const test = [21, 23, 25, 27, 29, 1, 3, 5];
  // −1: an unlabelled test row, in neither class mean.
  const classes = [0, 0, -1, 1, 1, 1, 0, 1];
  const file = (name: string) => result.files.find((f) => f.name === name)!;
  const npy = (name: string) => parseNpy(file(name).data as Uint8Array, name);
  const rowsOf = (rows: number[]) => rows.map((r) => Array.from(images.subarray(r * S * S, (r + 1) * S * S)));

  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'awb-ae-diag-'));
    const u = mulberry32(3);
    images = Float32Array.from({ length: N * S * S }, () => (u() < 0.3 ? u() : 0));
    await writeNpy(join(dir, 'data.npy'), { shape: [N, S, S], data: images });
    const path = join(dir, 'data.npy');
    job = {
      kind: 'train-autoencoder',
      backend: 'wasm',
      threads: 1,
      model: { kind: 'dense-ae', widths: WIDTHS, activation: 'leaky-relu' },
      data: { kind: 'stored', train: [{ path, rows: train }], validation: [], test: [{ path, rows: test }] },
      validationFraction: 0,
      epochs: EPOCHS,
      batchSize: 5,
      learningRate: 1e-2,
      seed: SEED,
      outliers: { train: [{ path, rows: [1, 3, 5] }], lambda: 1, margin: 2 },
      latentSnapshots: { rows: [{ path, rows: snapshotRows }] },
      meanImages: { classes, imageShape: [S, S] },
    };
    result = await trainAutoencoderJob(job, 'wasm', 1, () => {}, () => false);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records float32 (E+1, K, L) snapshots and the int32 rows they are of', () => {
    const s = npy('latent-snapshots.npy');
    expect(s.shape).toEqual([EPOCHS + 1, snapshotRows.length, WIDTHS[WIDTHS.length - 1]]);
    expect(s.data).toBeInstanceOf(Float32Array);
    const rows = npy('latent-rows.npy');
    expect(rows.data).toBeInstanceOf(Int32Array);
    expect(Array.from(rows.data as Int32Array)).toEqual(snapshotRows);
  });

  it('snapshot 0 is the initial encoder and the last the trained one, applied to those rows (PyTorch)', () => {
    const initial = denseAutoencoder({ inputDim: S * S, widths: WIDTHS, activation: 'leaky-relu', seed: SEED });
    const before = runPythonJson<{ encode: number[][] }>(REFERENCE, { weights: weightsForReference(initial), alpha: 0.2, encoderLayers: WIDTHS.length, encode: rowsOf(snapshotRows) });
    initial.dispose();
    const after = runPythonJson<{ encode: number[][] }>(REFERENCE, { weights: trainedWeights(), alpha: 0.2, encoderLayers: WIDTHS.length, encode: rowsOf(snapshotRows) });
    const s = npy('latent-snapshots.npy').data as Float32Array;
    const k = snapshotRows.length * WIDTHS[1];
    expectNear(s.subarray(0, k), before.encode.flat(), 1e-5);
    expectNear(s.subarray(EPOCHS * k), after.encode.flat(), 1e-5);
    // Training moved the embedding.
    expect(Array.from(s.subarray(0, k))).not.toEqual(Array.from(s.subarray(EPOCHS * k)));
  });

  it('records the mean test image of each class and of its reconstructions (NumPy means)', () => {
    const x = rowsOf(test);
    const recon = runPythonJson<{ reconstruct: number[][] }>(REFERENCE, { weights: trainedWeights(), alpha: 0.2, encoderLayers: WIDTHS.length, reconstruct: x }).reconstruct;
    const mean = (rows: number[][], c: number) => {
      const of = rows.filter((_, i) => classes[i] === c);
      return Array.from({ length: S * S }, (_, p) => of.reduce((a, r) => a + r[p], 0) / of.length);
    };
    const input = npy('mean-input.npy');
    const reconstruction = npy('mean-reconstruction.npy');
    expect(input.shape).toEqual([2, S, S]);
    expect(reconstruction.shape).toEqual([2, S, S]);
    expectNear(input.data as Float32Array, [...mean(x, 0), ...mean(x, 1)], 1e-6);
    expectNear(reconstruction.data as Float32Array, [...mean(recon, 0), ...mean(recon, 1)], 1e-5);
  });

  it('a run resumed after epoch 1 keeps the first run\'s snapshots and ends with those of an uninterrupted run', async () => {
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    mkdirSync(first);
    mkdirSync(second);
    const interrupted = await trainAutoencoderJob({ ...job, epochs: 1, checkpointDir: first }, 'wasm', 1, () => {}, () => false);
    const resumed = await trainAutoencoderJob(
      { ...job, checkpointDir: second, resumeFrom: readCheckpoint(first)!, latentSnapshots: { ...job.latentSnapshots!, previous: join(first, SNAPSHOTS_SO_FAR) } },
      'wasm',
      1,
      () => {},
      () => false,
    );
    const snapshots = (r: TrainResult) => parseNpy(r.files.find((f) => f.name === 'latent-snapshots.npy')!.data as Uint8Array, 'snapshots');
    const s = snapshots(resumed);
    expect(s.shape).toEqual([EPOCHS + 1, snapshotRows.length, WIDTHS[1]]);
    expect(Array.from(s.data as Float32Array)).toEqual(Array.from(snapshots(result).data as Float32Array));
    expect(Array.from((s.data as Float32Array).subarray(0, 2 * snapshotRows.length * WIDTHS[1]))).toEqual(Array.from(snapshots(interrupted).data as Float32Array));
  });

  /** The trained weights from the run's files (weights manifest order, float32). */
  function trainedWeights(): [number[], number[]][] {
    const manifest = JSON.parse(file('model.json').data as string).weightsManifest[0].weights as { name: string; shape: number[] }[];
    const bin = result.files.find((f) => f.kind === 'model-weights')!.data as Uint8Array;
    const values = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    let at = 0;
    return manifest.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const v = Array.from(values.subarray(at, at + size));
      at += size;
      return [v, w.shape];
    });
  }
});
