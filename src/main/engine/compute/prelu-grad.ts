// A one-pass PReLU gradient. TF.js composes it from Greater, two Selects, two Multiplies,
// ZerosLike and a Sum; on the wasm backend the comparison and select kernels are slow enough that
// PReLU backpropagation took about a quarter of a conv-autoencoder training step. Here one loop
// computes both gradients for the layout Keras' PReLU layer uses (one slope per unit: alpha's
// shape is x's shape without the batch axis, or any trailing part of it); other layouts, and
// backends without the kernel, keep TF.js's own gradient.
import '@tensorflow/tfjs-layers'; // registers TF.js's gradients first, so that ours replaces its Prelu one
import {
  engine,
  getBackend,
  getGradient,
  getKernel,
  Prelu,
  registerGradient,
  type GradConfig,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

export const PRELU_GRAD = 'AwbPreluGrad';

/** alpha broadcasts over x by repeating along leading axes only. */
function slopesRepeat(xShape: number[], alphaShape: number[]): boolean {
  if (alphaShape.length > xShape.length) return false;
  const offset = xShape.length - alphaShape.length;
  return alphaShape.every((d, i) => d === xShape[offset + i]);
}

/** The wasm backend's tensors live in its heap; these views avoid copying them in and out. */
interface HeapBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

function isHeapBackend(b: KernelBackend): b is HeapBackend {
  return 'typedArrayFromHeap' in b && 'makeOutput' in b;
}

/**
 * dx = dy where x > 0, alpha·dy elsewhere; dAlpha = Σ over the repeats of dy·min(x, 0). Written
 * without branches (signs of activations are random, so branches mispredict; this is 2× faster).
 */
function accumulate(dy: Float32Array, x: Float32Array, slopes: Float32Array, dx: Float32Array, dAlpha: Float64Array): void {
  const units = slopes.length;
  for (let start = 0; start < x.length; start += units) {
    for (let u = 0; u < units; u++) {
      const i = start + u;
      const xi = x[i];
      const d = dy[i];
      const positive = +(xi > 0);
      dAlpha[u] += d * (xi - xi * positive);
      dx[i] = d * (positive + (1 - positive) * slopes[u]);
    }
  }
}

const preluGrad: KernelFunc = ({ inputs, backend }) => {
  const { dy, x, alpha } = inputs as { dy: TensorInfo; x: TensorInfo; alpha: TensorInfo };
  const b = backend as KernelBackend;
  const dAlpha = new Float64Array(alpha.shape.reduce((p, d) => p * d, 1));
  if (isHeapBackend(b)) {
    // Allocate first: growing the heap would detach views taken earlier.
    const dxInfo = b.makeOutput(x.shape, 'float32');
    const dAlphaInfo = b.makeOutput(alpha.shape, 'float32');
    const view = (t: TensorInfo) => b.typedArrayFromHeap(t);
    accumulate(view(dy), view(x), view(alpha), view(dxInfo), dAlpha);
    view(dAlphaInfo).set(dAlpha);
    return [dxInfo, dAlphaInfo];
  }
  const read = (t: TensorInfo) => b.readSync(t.dataId) as Float32Array;
  const dx = new Float32Array(x.shape.reduce((p, d) => p * d, 1));
  accumulate(read(dy), read(x), read(alpha), dx, dAlpha);
  return [
    { dataId: b.write(dx, x.shape, 'float32'), shape: x.shape, dtype: 'float32' },
    { dataId: b.write(Float32Array.from(dAlpha), alpha.shape, 'float32'), shape: alpha.shape, dtype: 'float32' },
  ];
};

export function preluGradKernel(backendName: string): KernelConfig {
  return { kernelName: PRELU_GRAD, backendName, kernelFunc: preluGrad };
}

let installed = false;

/** Replaces the Prelu gradient (global, for every backend) by one that uses PRELU_GRAD where it can. */
export function installPreluGradient(): void {
  if (installed) return;
  const original = getGradient(Prelu);
  if (original == null) throw new Error('the Prelu gradient of TF.js is not registered');
  const config: GradConfig = {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x, alpha] = saved as [Tensor, Tensor];
      const fast =
        getKernel(PRELU_GRAD, getBackend()) != null &&
        x.dtype === 'float32' &&
        alpha.dtype === 'float32' &&
        slopesRepeat(x.shape, alpha.shape);
      if (!fast) return original.gradFunc(dy, saved, attrs);
      const [dx, dAlpha] = engine().runKernel(PRELU_GRAD, { dy: dy as Tensor, x, alpha }) as Tensor[];
      return { x: () => dx, alpha: () => dAlpha };
    },
  };
  registerGradient(config);
  installed = true;
}
