// Independent float64 references in plain JavaScript (NHWC, TensorFlow's padding conventions) and
// central finite differences, to check the TF.js kernels and gradients against.

export type Shape4 = [number, number, number, number];
export type Padding = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

/** Deterministic values in [-1, 1) (a 32-bit LCG), so failures reproduce. */
export function seeded(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Output size and the padding before, per spatial axis, as TensorFlow defines 'same' and 'valid'. */
export function window1d(inSize: number, k: number, stride: number, pad: 'same' | 'valid' | [number, number]): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.floor((inSize - k) / stride) + 1, before: 0 };
  if (pad === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + k - inSize, 0);
    return { out, before: Math.floor(total / 2) };
  }
  return { out: Math.floor((inSize + pad[0] + pad[1] - k) / stride) + 1, before: pad[0] };
}

function windows(padding: Padding, h: number, w: number, kh: number, kw: number, stride: number) {
  const ph = typeof padding === 'string' ? padding : padding[1];
  const pw = typeof padding === 'string' ? padding : padding[2];
  return { rows: window1d(h, kh, stride, ph), cols: window1d(w, kw, stride, pw) };
}

export function conv2dRef(x: Float64Array, xs: Shape4, f: Float64Array, fs: Shape4, stride: number, padding: Padding) {
  const [n, h, w, ci] = xs;
  const [kh, kw, fci, co] = fs;
  if (fci !== ci) throw new Error('conv2dRef: channel mismatch');
  const { rows, cols } = windows(padding, h, w, kh, kw, stride);
  const shape: Shape4 = [n, rows.out, cols.out, co];
  const y = new Float64Array(size(shape));
  for (let b = 0; b < n; b++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let o = 0; o < co; o++) {
          let acc = 0;
          for (let a = 0; a < kh; a++) {
            const r = i * stride + a - rows.before;
            if (r < 0 || r >= h) continue;
            for (let c = 0; c < kw; c++) {
              const q = j * stride + c - cols.before;
              if (q < 0 || q >= w) continue;
              for (let m = 0; m < ci; m++) acc += x[((b * h + r) * w + q) * ci + m] * f[((a * kw + c) * ci + m) * co + o];
            }
          }
          y[((b * rows.out + i) * cols.out + j) * co + o] = acc;
        }
  return { y, shape };
}

/** Average pooling; with 'same' padding the padded cells are left out of the mean, as in TensorFlow. */
export function avgPoolRef(x: Float64Array, xs: Shape4, k: number, stride: number, padding: 'same' | 'valid') {
  const [n, h, w, c] = xs;
  const { rows, cols } = windows(padding, h, w, k, k, stride);
  const shape: Shape4 = [n, rows.out, cols.out, c];
  const y = new Float64Array(size(shape));
  for (let b = 0; b < n; b++)
    for (let i = 0; i < rows.out; i++)
      for (let j = 0; j < cols.out; j++)
        for (let d = 0; d < c; d++) {
          let acc = 0;
          let count = 0;
          for (let a = 0; a < k; a++) {
            const r = i * stride + a - rows.before;
            if (r < 0 || r >= h) continue;
            for (let e = 0; e < k; e++) {
              const q = j * stride + e - cols.before;
              if (q < 0 || q >= w) continue;
              acc += x[((b * h + r) * w + q) * c + d];
              count++;
            }
          }
          y[((b * rows.out + i) * cols.out + j) * c + d] = acc / count;
        }
  return { y, shape };
}

/** Nearest-neighbour resize without corner alignment or half-pixel centres (Keras' UpSampling2D). */
export function resizeNearestRef(x: Float64Array, xs: Shape4, outH: number, outW: number) {
  const [n, h, w, c] = xs;
  const shape: Shape4 = [n, outH, outW, c];
  const y = new Float64Array(size(shape));
  for (let b = 0; b < n; b++)
    for (let i = 0; i < outH; i++) {
      const r = Math.min(h - 1, Math.floor((i * h) / outH));
      for (let j = 0; j < outW; j++) {
        const q = Math.min(w - 1, Math.floor((j * w) / outW));
        for (let d = 0; d < c; d++) y[((b * outH + i) * outW + j) * c + d] = x[((b * h + r) * w + q) * c + d];
      }
    }
  return { y, shape };
}

/** y = a·b for row-major a [m, k] and b [k, n]. */
export function matMulRef(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[i * k + p] * b[p * n + j];
      y[i * n + j] = acc;
    }
  return y;
}

export function dot(a: Float64Array, b: ArrayLike<number>): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i] * b[i];
  return acc;
}

/** Central finite differences of the scalar `loss` with respect to every element of `x`. */
export function finiteDifferences(x: Float64Array, loss: (x: Float64Array) => number, h = 1e-3): Float64Array {
  const g = new Float64Array(x.length);
  const probe = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    probe[i] = x[i] + h;
    const up = loss(probe);
    probe[i] = x[i] - h;
    const down = loss(probe);
    probe[i] = x[i];
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Largest |actual − expected| relative to the largest |expected| (or 1 if that is smaller). */
export function maxScaledError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

/** Float32 kernels summing up to a few hundred terms stay well inside this. */
export const FLOAT32_TOLERANCE = 2e-5;
