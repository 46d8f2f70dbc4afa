// Wraps a backend's BatchMatMul and _FusedMatMul so that transposed operands are materialised by a
// Transpose first. The wasm backend sends a matmul to XNNPACK only when neither operand is
// transposed (otherwise a naive blocked loop runs, several times slower), and backpropagation
// through a dense layer always asks for dy·Wᵀ and xᵀ·dy.
import {
  BatchMatMul,
  getKernel,
  Transpose,
  _FusedMatMul,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composeKernels, type KernelScope } from './kernel-scope.js';

function swapLastTwo(k: KernelScope, x: TensorInfo): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return k.run(Transpose, { x }, { perm });
}

function untransposed(kernelName: string, backendName: string, original: KernelFunc): KernelFunc {
  const wrapped: KernelFunc = ({ inputs, backend, attrs = {} }) => {
    if (!attrs.transposeA && !attrs.transposeB) return original({ inputs, backend, attrs });
    const { a: a0, b: b0 } = inputs as { a: TensorInfo; b: TensorInfo };
    return composeKernels(backend as KernelBackend, backendName, (k) => {
      const a = attrs.transposeA ? swapLastTwo(k, a0) : a0;
      const b = attrs.transposeB ? swapLastTwo(k, b0) : b0;
      return k.call(original, { ...inputs, a, b }, { ...attrs, transposeA: false, transposeB: false }, kernelName);
    });
  };
  return wrapped;
}

/** Replacement configs for `backendName`'s BatchMatMul and _FusedMatMul (call before replacing them). */
export function untransposedMatMulKernels(backendName: string): KernelConfig[] {
  return [BatchMatMul, _FusedMatMul].map((kernelName) => {
    const original = getKernel(kernelName, backendName);
    if (original == null) throw new Error(`kernel ${kernelName} is not registered for the ${backendName} backend`);
    return { ...original, kernelFunc: untransposed(kernelName, backendName, original.kernelFunc) };
  });
}
