// Installs the kernels the wasm, cpu and webgpu backends need to train the project's autoencoders
// fast and with correct gradients. Once per thread and backend: the kernel registry lives in this
// thread's copy of tfjs-core, so each worker_thread installs them itself (useBackend does).
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { avgPoolGradKernel } from './avg-pool-grad.js';
import { convGradientKernels } from './conv-grads-as-forward-conv.js';
import { installLeakyReluGradient, leakyReluKernel } from './leaky-relu.js';
import { installPreluGradient, preluGradKernel } from './prelu-grad.js';
import { resizeNearestGradKernel } from './resize-nearest-grad.js';
import { untransposedMatMulKernels } from './untransposed-matmul.js';

const installed = new Set<string>();

function replaceKernel(config: KernelConfig): void {
  if (getKernel(config.kernelName, config.backendName) != null) unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}

function installOnce(backendName: string, configs: () => KernelConfig[]): void {
  if (installed.has(backendName)) return;
  installPreluGradient();
  installLeakyReluGradient();
  configs().forEach(replaceKernel);
  installed.add(backendName);
}

/**
 * wasm: Conv2DBackpropFilter (missing in TF.js 4.22) and Conv2DBackpropInput (a naive loop there)
 * as XNNPACK forward convolutions, matmuls that reach XNNPACK in backpropagation too, a one-pass
 * PReLU gradient, an AvgPoolGrad that agrees with AvgPool at 'same'-padded borders, and LeakyReLU
 * (forward and gradient, the latter on every backend) through Step and Multiply.
 */
export function installWasmTrainingKernels(): void {
  installOnce('wasm', () => [
    ...convGradientKernels('wasm'),
    ...untransposedMatMulKernels('wasm'),
    avgPoolGradKernel('wasm'),
    preluGradKernel('wasm'),
    leakyReluKernel('wasm'),
  ]);
}

/** webgpu: its AvgPoolGrad has the same 'same'-padding flaw as the cpu and wasm ones. */
export function installWebGpuTrainingKernels(): void {
  installOnce('webgpu', () => [avgPoolGradKernel('webgpu')]);
}

/**
 * cpu: TF.js 4.22's ResizeNearestNeighborGrad is wrong for batch > 1, its AvgPoolGrad disagrees
 * with AvgPool at 'same'-padded borders; and the one-pass PReLU gradient.
 */
export function installCpuTrainingKernels(): void {
  installOnce('cpu', () => [resizeNearestGradKernel('cpu'), avgPoolGradKernel('cpu'), preluGradKernel('cpu')]);
}
