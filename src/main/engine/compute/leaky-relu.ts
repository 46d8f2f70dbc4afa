// LeakyReLU as x·step(x, α) and its gradient as dy·step(x, α). On the wasm backend TF.js 4.22's
// LeakyRelu kernel takes ≈ 7× as long as Step followed by Multiply, and its gradient (Greater,
// Multiply, Select) ≈ 12× as long, which made activations ~15 % of a dense-autoencoder training
// step. The results are bit-identical: step is exactly 1 where x > 0 and α elsewhere, so both
// products are x (or dy) unchanged or multiplied by the same float32 α.
import '@tensorflow/tfjs-layers'; // registers TF.js's gradients first, so that ours replaces its LeakyRelu one
import {
  getGradient,
  getKernel,
  LeakyRelu,
  Multiply,
  mul,
  registerGradient,
  Step,
  step,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type LeakyReluAttrs,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composeKernels } from './kernel-scope.js';

/** LeakyRelu for `backendName` from its Step and Multiply kernels (float32; other dtypes keep the original). */
export function leakyReluKernel(backendName: string): KernelConfig {
  const original = getKernel(LeakyRelu, backendName);
  if (original == null) throw new Error(`kernel ${LeakyRelu} is not registered for the ${backendName} backend`);
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype !== 'float32') return original.kernelFunc(args);
    const { alpha } = args.attrs as unknown as LeakyReluAttrs;
    return composeKernels(args.backend as KernelBackend, backendName, (k) =>
      k.run(Multiply, { a: x, b: k.run(Step, { x }, { alpha }) }),
    );
  };
  return { ...original, kernelFunc };
}

let installed = false;

/** Replaces the LeakyRelu gradient (global, for every backend: all of them have Step). */
export function installLeakyReluGradient(): void {
  if (installed) return;
  const original = getGradient(LeakyRelu);
  if (original == null) throw new Error('the LeakyRelu gradient of TF.js is not registered');
  registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as Tensor[];
      const { alpha } = attrs as unknown as LeakyReluAttrs;
      return { x: () => mul(dy as Tensor, step(x, alpha)) };
    },
  });
  installed = true;
}
