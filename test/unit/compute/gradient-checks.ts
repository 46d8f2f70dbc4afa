// Gradient checks of the TF.js ops a convolutional autoencoder trains through, run on whichever
// backend is active: each op's forward pass against a plain-JS float64 reference, and its
// gradients (of L = Σ w·op(x) with random weights w) against central finite differences of it.
import '@tensorflow/tfjs-layers'; // registers TF.js's gradient functions
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  FLOAT32_TOLERANCE,
  avgPoolRef,
  conv2dRef,
  dot,
  finiteDifferences,
  matMulRef,
  maxScaledError,
  resizeNearestRef,
  seeded,
  size,
  type Padding,
  type Shape4,
} from './reference.js';

const t4 = (v: Float64Array, shape: Shape4) => tf.tensor4d(Float32Array.from(v), shape);

/**
 * Runs `compute` (its intermediate tensors are freed) and compares each tensor it returns with the
 * expected values, named. Reads asynchronously: the webgpu backend cannot read synchronously in Node.
 */
async function expectClose(compute: () => tf.Tensor[], expected: [Float64Array, string][]): Promise<void> {
  const actual = tf.tidy(compute);
  try {
    for (const [i, [values, what]] of expected.entries()) {
      const error = maxScaledError(await actual[i].data(), values);
      expect(error, `${what}: worst scaled error ${error}`).toBeLessThan(FLOAT32_TOLERANCE);
    }
  } finally {
    tf.dispose(actual);
  }
}

export const CONV_CASES: { padding: Padding; stride: number; k: number }[] = [
  ...(['same', 'valid'] as const).flatMap((padding) =>
    [1, 2].flatMap((stride) => [3, 4].map((k) => ({ padding, stride, k }))),
  ),
  // Explicit padding larger than the kernel reach: exercises the crop paths of both gradients.
  { padding: [[0, 0], [3, 0], [0, 3], [0, 0]], stride: 2, k: 3 },
];

/** Conv2D forward, input and filter gradients; batch 2, 7×6 images (odd and even), 3 → 4 channels. */
export function convGradientChecks(): void {
  for (const { padding, stride, k } of CONV_CASES) {
    const name = `${JSON.stringify(padding)} padding, stride ${stride}, kernel ${k}`;
    it(`conv2d: ${name}`, async () => {
      const xs: Shape4 = [2, 7, 6, 3];
      const fs: Shape4 = [k, k, 3, 4];
      const x = seeded(size(xs), 11);
      const f = seeded(size(fs), 12);
      const ref = conv2dRef(x, xs, f, fs, stride, padding);
      const w = seeded(ref.y.length, 13);
      const conv = (xT: tf.Tensor, fT: tf.Tensor) => tf.conv2d(xT as tf.Tensor4D, fT as tf.Tensor4D, stride, padding);
      await expectClose(
        () => {
          const y = conv(t4(x, xs), t4(f, fs));
          expect(y.shape).toEqual(ref.shape);
          const wT = tf.tensor4d(Float32Array.from(w), ref.shape);
          return [y, ...tf.grads((xT: tf.Tensor, fT: tf.Tensor) => tf.sum(tf.mul(conv(xT, fT), wT)))([t4(x, xs), t4(f, fs)])];
        },
        [
          [ref.y, 'forward'],
          [finiteDifferences(x, (xx) => dot(w, conv2dRef(xx, xs, f, fs, stride, padding).y)), 'input gradient'],
          [finiteDifferences(f, (ff) => dot(w, conv2dRef(x, xs, ff, fs, stride, padding).y)), 'filter gradient'],
        ],
      );
    });
  }
}

/** AveragePooling2D and UpSampling2D (nearest resize) with batch 3, the cases of the conv AE and more. */
export function poolAndUpsampleGradientChecks(): void {
  for (const padding of ['same', 'valid'] as const)
    for (const [k, stride] of [
      [2, 2],
      [3, 1],
      [3, 2],
    ]) {
      it(`avgPool: ${padding} padding, window ${k}, stride ${stride}`, async () => {
        const xs: Shape4 = [3, 7, 6, 2];
        const x = seeded(size(xs), 21);
        const ref = avgPoolRef(x, xs, k, stride, padding);
        const w = seeded(ref.y.length, 22);
        const pool = (xT: tf.Tensor) => tf.avgPool(xT as tf.Tensor4D, k, stride, padding);
        await expectClose(
          () => {
            const y = pool(t4(x, xs));
            expect(y.shape).toEqual(ref.shape);
            const wT = tf.tensor4d(Float32Array.from(w), ref.shape);
            return [y, tf.grad((xT: tf.Tensor) => tf.sum(tf.mul(pool(xT), wT)))(t4(x, xs))];
          },
          [
            [ref.y, 'forward'],
            [finiteDifferences(x, (xx) => dot(w, avgPoolRef(xx, xs, k, stride, padding).y)), 'gradient'],
          ],
        );
      });
    }

  for (const [outH, outW] of [
    [10, 10],
    [15, 10],
    [7, 8],
  ]) {
    it(`resizeNearestNeighbor 5×5 → ${outH}×${outW}, batch 3`, async () => {
      const xs: Shape4 = [3, 5, 5, 2];
      const x = seeded(size(xs), 31);
      const ref = resizeNearestRef(x, xs, outH, outW);
      const w = seeded(ref.y.length, 32);
      const resize = (xT: tf.Tensor) => tf.image.resizeNearestNeighbor(xT as tf.Tensor4D, [outH, outW]);
      await expectClose(
        () => {
          const wT = tf.tensor4d(Float32Array.from(w), ref.shape);
          return [resize(t4(x, xs)), tf.grad((xT: tf.Tensor) => tf.sum(tf.mul(resize(xT), wT)))(t4(x, xs))];
        },
        [
          [ref.y, 'forward'],
          [finiteDifferences(x, (xx) => dot(w, resizeNearestRef(xx, xs, outH, outW).y)), 'gradient'],
        ],
      );
    });
  }
}

/** PReLU with one slope per unit (Keras' default) and with slopes shared over the image axes. */
export function preluGradientChecks(): void {
  const xs: Shape4 = [3, 4, 5, 2];
  for (const alphaShape of [
    [4, 5, 2],
    [2],
    [1, 1, 2],
  ]) {
    it(`prelu with slopes of shape [${alphaShape}]`, async () => {
      // Away from 0, where PReLU has its kink, so that finite differences do not straddle it.
      const x = seeded(size(xs), 51).map((v) => (Math.abs(v) < 1e-3 ? 0.5 : v));
      const alpha = seeded(size(alphaShape), 52).map((v) => 0.5 * v);
      const w = seeded(size(xs), 53);
      // y = x for x > 0, alpha·x elsewhere; alpha broadcasts over x like NumPy (trailing axes).
      const preluRef = (xx: Float64Array, aa: Float64Array) =>
        xx.map((v, i) => {
          const [c, col, row] = [i % xs[3], Math.floor(i / xs[3]) % xs[2], Math.floor(i / (xs[3] * xs[2])) % xs[1]];
          const idx = [row, col, c].slice(3 - alphaShape.length).reduce((acc, v2, d) => acc * alphaShape[d] + (alphaShape[d] === 1 ? 0 : v2), 0);
          return v > 0 ? v : aa[idx] * v;
        });
      await expectClose(
        () => {
          const aT = tf.tensor(Float32Array.from(alpha), alphaShape);
          const wT = tf.tensor4d(Float32Array.from(w), xs);
          const grads = tf.grads((xT: tf.Tensor, a: tf.Tensor) => tf.sum(tf.mul(tf.prelu(xT, a), wT)))([t4(x, xs), aT]);
          return [tf.prelu(t4(x, xs), aT), ...grads];
        },
        [
          [preluRef(x, alpha), 'forward'],
          [finiteDifferences(x, (xx) => dot(w, preluRef(xx, alpha)), 1e-4), 'gradient of x'],
          [finiteDifferences(alpha, (aa) => dot(w, preluRef(x, aa))), 'gradient of the slopes'],
        ],
      );
    });
  }
}

/** Matmuls with every transpose combination, and the fused dense-layer matmul with bias. */
export function matMulGradientChecks(): void {
  const [m, k, n] = [5, 7, 3];
  const a = seeded(m * k, 41);
  const b = seeded(k * n, 42);
  const bias = seeded(n, 43);
  const w = seeded(m * n, 44);
  const transpose = (v: Float64Array, rows: number, cols: number) =>
    Float64Array.from({ length: v.length }, (_, i) => v[(i % rows) * cols + Math.floor(i / rows)]);

  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    it(`matMul transposeA=${ta} transposeB=${tb}`, async () => {
      const fdA = finiteDifferences(a, (aa) => dot(w, matMulRef(aa, b, m, k, n)));
      const fdB = finiteDifferences(b, (bb) => dot(w, matMulRef(a, bb, m, k, n)));
      await expectClose(
        () => {
          // Operands stored transposed where the op is asked to transpose them.
          const aT = ta ? tf.tensor2d(Float32Array.from(transpose(a, m, k)), [k, m]) : tf.tensor2d(Float32Array.from(a), [m, k]);
          const bT = tb ? tf.tensor2d(Float32Array.from(transpose(b, k, n)), [n, k]) : tf.tensor2d(Float32Array.from(b), [k, n]);
          const wT = tf.tensor2d(Float32Array.from(w), [m, n]);
          const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), wT)))([aT, bT]);
          return [tf.matMul(aT, bT, ta, tb), ...grads];
        },
        [
          [matMulRef(a, b, m, k, n), 'forward'],
          [ta ? transpose(fdA, m, k) : fdA, 'gradient of a'],
          [tb ? transpose(fdB, k, n) : fdB, 'gradient of b'],
        ],
      );
    });
  }

  it('fused matMul + bias (the dense layer)', async () => {
    const dense = (aa: Float64Array, bb: Float64Array, cc: Float64Array) =>
      matMulRef(aa, bb, m, k, n).map((v, i) => v + cc[i % n]);
    await expectClose(
      () => {
        const wT = tf.tensor2d(Float32Array.from(w), [m, n]);
        const loss = (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.mul(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias: c }), wT));
        return tf.grads(loss)([
          tf.tensor2d(Float32Array.from(a), [m, k]),
          tf.tensor2d(Float32Array.from(b), [k, n]),
          tf.tensor1d(Float32Array.from(bias)),
        ]);
      },
      [
        [finiteDifferences(a, (aa) => dot(w, dense(aa, b, bias))), 'gradient of a'],
        [finiteDifferences(b, (bb) => dot(w, dense(a, bb, bias))), 'gradient of b'],
        [finiteDifferences(bias, (cc) => dot(w, dense(a, b, cc))), 'gradient of the bias'],
      ],
    );
  });
}

/**
 * LeakyReLU forward and gradient, exactly: the project computes the gradient (every backend) as
 * dy·step(x, α) and, on wasm, the forward pass as x·step(x, α); these must be bit-identical to
 * dy·(x > 0 ? 1 : α) and x > 0 ? x : α·x in float32. `exactForward` false: the backend keeps its
 * own forward kernel (the cpu one multiplies by α in float64), checked within float32 tolerance.
 */
export function leakyReluChecks(exactForward: boolean): void {
  it('leakyRelu: forward and gradient as the float32 definition, zeros included', async () => {
    const alpha = 0.2;
    const a32 = Math.fround(alpha);
    const x = Float32Array.from(seeded(6 * 7, 21));
    x[3] = 0;
    x[4] = -0;
    const w = Float32Array.from(seeded(x.length, 22));
    const xT = tf.tensor2d(x, [6, 7]);
    const wT = tf.tensor2d(w, [6, 7]);
    const y = tf.leakyRelu(xT, alpha);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(t, alpha), wT)))(xT);
    const expectedY = x.map((v) => (v > 0 ? v : Math.fround(a32 * v)));
    const expectedDx = x.map((v, i) => (v > 0 ? w[i] : Math.fround(w[i] * a32)));
    if (exactForward) expect(Array.from(await y.data())).toEqual(Array.from(expectedY));
    else expect(maxScaledError(await y.data(), expectedY)).toBeLessThan(FLOAT32_TOLERANCE);
    expect(Array.from(await dx.data())).toEqual(Array.from(expectedDx));
    tf.dispose([xT, wT, y, dx]);
  });
}
