// The two libtensorflow flavours of TF.js (@tensorflow/tfjs-node-gpu with CUDA, @tensorflow/tfjs-node
// on the CPU). Both are optional dependencies whose install downloads libtensorflow, so either may be
// missing or fail to load its native library; both register the same TF.js backend, 'tensorflow',
// so at most one of them can be loaded in a process.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendProbe } from './backends.js';

const nodeRequire = createRequire(import.meta.url);
const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const CPU_PACKAGE = '@tensorflow/tfjs-node';

let loaded: string | null = null;

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

function isInstalled(pkg: string): boolean {
  try {
    nodeRequire.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** Names of the NVIDIA GPUs the driver reports, or why there are none. */
async function nvidiaGpus(): Promise<{ names: string[] } | { reason: string }> {
  try {
    const { stdout } = await promisify(execFile)('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], {
      timeout: 10_000,
      encoding: 'utf8',
    });
    const names = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    return names.length > 0 ? { names } : { reason: 'nvidia-smi lists no GPU' };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { reason: code === 'ENOENT' ? 'no NVIDIA driver (nvidia-smi not found)' : `nvidia-smi failed: ${firstLine(e)}` };
  }
}

/** Loads `pkg` (it registers and activates 'tensorflow'), keeping whichever backend was active. */
async function load(pkg: string): Promise<void> {
  const before = tf.engine().backendName;
  nodeRequire(pkg);
  if (tf.findBackendFactory('tensorflow') == null) throw new Error(`${pkg} loaded but registered no 'tensorflow' backend`);
  if (before != null && tf.engine().backendName !== before) await tf.setBackend(before);
}

export async function probeNativeTensorflow(gpu: boolean): Promise<BackendProbe> {
  const pkg = gpu ? GPU_PACKAGE : CPU_PACKAGE;
  const unavailable = (reason: string): BackendProbe => ({ available: false, device: null, reason });
  if (!isInstalled(pkg)) {
    return unavailable(
      gpu
        ? `${pkg} is not installed (optional dependency; needs libtensorflow with CUDA)`
        : `${pkg} is not installed (optional dependency; its install downloads libtensorflow)`,
    );
  }
  if (loaded != null && loaded !== pkg) {
    return unavailable(`${loaded} already provides the 'tensorflow' backend in this process; the two cannot be loaded together`);
  }
  let device = 'CPU (libtensorflow)';
  if (gpu) {
    const gpus = await nvidiaGpus();
    if ('reason' in gpus) return unavailable(`no CUDA GPU: ${gpus.reason}`);
    device = `${gpus.names.join(', ')} (CUDA)`;
  }
  try {
    if (loaded == null) await load(pkg);
  } catch (e) {
    return unavailable(`${pkg} failed to load: ${firstLine(e)}`);
  }
  loaded = pkg;
  return { available: true, device, reason: null };
}
