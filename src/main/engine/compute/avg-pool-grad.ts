// A correct AvgPoolGrad. TF.js 4.22's forward AvgPool (cpu and wasm) leaves padded cells out of
// each window's mean, as TensorFlow does, but its AvgPoolGrad divides every window by the full
// window size, so with 'same' padding the gradients of windows that overhang the border are too
// small. This wraps the backend's kernel: dy is first scaled by (window size / cells counted).
import {
  AvgPoolGrad,
  backend_util,
  getKernel,
  Multiply,
  type AvgPoolGradAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composeKernels } from './kernel-scope.js';

/** Cells of the input each output window covers, per window position along one axis. */
function cellsPerWindow(outSize: number, inSize: number, k: number, stride: number, before: number): number[] {
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * stride - before;
    return Math.min(start + k, inSize) - Math.max(start, 0);
  });
}

/** AvgPoolGrad for `backendName`, wrapping the one registered there (call before replacing it). */
export function avgPoolGradKernel(backendName: string): KernelConfig {
  const original = getKernel(AvgPoolGrad, backendName);
  if (original == null) throw new Error(`kernel ${AvgPoolGrad} is not registered for the ${backendName} backend`);
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as AvgPoolGradAttrs & {
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { filterHeight: kh, filterWidth: kw, outHeight, outWidth } = info;
    const rows = cellsPerWindow(outHeight, info.inHeight, kh, info.strideHeight, info.padInfo.top);
    const cols = cellsPerWindow(outWidth, info.inWidth, kw, info.strideWidth, info.padInfo.left);
    if (rows.every((r) => r === kh) && cols.every((c) => c === kw)) return original.kernelFunc({ inputs, backend, attrs });
    const scale = new Float32Array(outHeight * outWidth);
    rows.forEach((r, i) => cols.forEach((c, j) => (scale[i * outWidth + j] = (kh * kw) / (r * c))));
    return composeKernels(backend as KernelBackend, backendName, (k) => {
      const scaled = k.run(Multiply, { a: dy, b: k.constant([1, outHeight, outWidth, 1], scale) });
      return k.call(original.kernelFunc, { dy: scaled, input }, attrs ?? {}, AvgPoolGrad);
    });
  };
  return { ...original, kernelFunc };
}
