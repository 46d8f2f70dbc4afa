// Lets a kernel be written as a composition of other kernels of the same backend: it calls their
// registered kernelFuncs directly (no engine round trip, no gradient tape) and frees every
// intermediate result when the composition returns or throws.
import { getKernel, type KernelBackend, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

export class KernelScope {
  private readonly temporaries: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  /** Runs kernel `name` as registered for this backend. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(name, this.backendName);
    if (config == null) throw new Error(`kernel ${name} is not registered for the ${this.backendName} backend`);
    return this.call(config.kernelFunc, inputs, attrs, name);
  }

  /** A float32 tensor of `values` on this backend. */
  constant(shape: number[], values: Float32Array): TensorInfo {
    const out = { dataId: this.backend.write(values, shape, 'float32'), shape, dtype: 'float32' as const };
    this.temporaries.push(out);
    return out;
  }

  /** Runs a kernelFunc the caller holds (e.g. the original of a kernel it replaced). */
  call(kernelFunc: KernelFunc, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap, name = 'kernel'): TensorInfo {
    const out = kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`${name} returned ${out.length} outputs where one was expected`);
    this.temporaries.push(out);
    return out;
  }

  /** Frees the intermediate results, all but `keep`. */
  release(keep?: TensorInfo): void {
    for (const t of this.temporaries) {
      if (t !== keep) this.backend.disposeData(t.dataId);
    }
    this.temporaries.length = 0;
  }
}

/** Runs `body` in a fresh scope and returns its result; everything else it made is freed. */
export function composeKernels(
  backend: KernelBackend,
  backendName: string,
  body: (scope: KernelScope) => TensorInfo,
): TensorInfo {
  const scope = new KernelScope(backend, backendName);
  let result: TensorInfo | undefined;
  try {
    result = body(scope);
    return result;
  } finally {
    scope.release(result);
  }
}
