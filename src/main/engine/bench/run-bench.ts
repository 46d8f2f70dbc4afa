// `awb bench`: training and inference throughput of the dense and the conv autoencoder on every
// available TF.js backend and, in the same run, of the identical models in PyTorch on the same
// number of threads, with the ratio TF.js / PyTorch.
import { cpus, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { BackendInfo } from '@shared/api';
import { probeBackends, useBackend } from '../compute/backends';
import { wasmThreadsInUse } from '../compute/wasm-threads';
import { convAutoencoder } from '../models/conv-autoencoder';
import { denseAutoencoder } from '../models/dense-autoencoder';
import { FULL_PLAN, QUICK_PLAN, type BenchPlan, type Workload } from './bench-plan';
import { importBench, type ImportBenchResult } from './import-bench';
import { metricsBench, type MetricsBenchResult } from './metrics-bench';
import { inferenceThroughput, trainingThroughput, type Throughput } from './throughput';
import { runTorchReference } from './torch-reference';

export interface BenchOptions {
  /** Backends to run; default every available one. Naming 'cpu' also runs its (very slow) conv training. */
  backends?: string[];
  /** A smoke run of a few seconds per backend instead of the full benchmark. */
  quick?: boolean;
  /** Threads of the wasm backend and of PyTorch; default the wasm backend's current count, or 1. */
  threads?: number;
  onLog?: (line: string) => void;
}

export interface BenchMachine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  tfjs: string;
  /** Threads of the wasm backend and of the PyTorch reference. */
  threads: number;
  torch?: string;
  blas?: string;
}

export interface BenchResult {
  /** `conv-ae train`, `conv-ae inference`, `dense-ae train`, `dense-ae inference`. */
  name: string;
  /** `tfjs-<backend>` or `pytorch-cpu`. */
  engine: string;
  value: number;
  unit: string;
  /** PyTorch's value for the same name in this run; null for PyTorch itself or when PyTorch is missing. */
  reference: number | null;
  /** value / reference. */
  ratio: number | null;
}

export interface BenchReport {
  machine: BenchMachine;
  results: BenchResult[];
  /** Top Tagging imports, smallest file first. */
  imports: ImportBenchResult[];
  /** ROC + AUC on random scores. */
  metrics: MetricsBenchResult;
}

const MODELS = ['conv-ae', 'dense-ae'] as const;
type ModelName = (typeof MODELS)[number];

// Pure-JS conv training runs at ≈ 1–2 samples/s: when asked for, one warm-up and one timed batch.
const SLOW_WORKLOAD: Workload = { warmupBatches: 1, seconds: 0, minBatches: 1 };

function buildModel(name: ModelName, plan: BenchPlan): { model: LayersModel; data: tf.Tensor } {
  if (name === 'dense-ae') {
    const { inputDim, widths, samples } = plan.dense;
    return {
      model: denseAutoencoder({ inputDim, widths, activation: 'leaky-relu', seed: 1 }),
      data: tf.randomNormal([samples, inputDim], 0, 1, 'float32', 2),
    };
  }
  const { imageSize, kernelSize, bottleneck, samples } = plan.conv;
  return {
    model: convAutoencoder({ imageSize, kernelSize, bottleneck, seed: 1 }),
    data: tf.randomNormal([samples, imageSize, imageSize, 1], 0, 1, 'float32', 2),
  };
}

async function chooseBackends(requested: string[] | undefined, log: (s: string) => void): Promise<BackendInfo[]> {
  const probed = await probeBackends();
  if (!requested || requested.length === 0) {
    for (const b of probed.filter((p) => !p.available)) log(`${b.name}: skipped, unavailable (${b.reason ?? 'no reason given'})`);
    return probed.filter((p) => p.available);
  }
  const chosen: BackendInfo[] = [];
  for (const name of requested) {
    const info = probed.find((p) => p.name === name);
    if (!info) throw new Error(`bench: unknown backend '${name}'; known: ${probed.map((p) => p.name).join(', ')}`);
    if (info.available) chosen.push(info);
    else log(`${name}: skipped, unavailable (${info.reason ?? 'no reason given'})`);
  }
  return chosen;
}

function fmt(t: Throughput): string {
  return `${t.samplesPerSec.toFixed(1)} samples/s (${t.samples} samples in ${t.seconds.toFixed(2)} s)`;
}

interface Measured {
  name: string;
  engine: string;
  value: number;
}

/** Both models on one backend; every tensor it makes is disposed before it returns. */
async function benchBackend(
  backend: BackendInfo,
  plan: BenchPlan,
  threads: number,
  convTrainingOnCpu: boolean,
  log: (s: string) => void,
): Promise<Measured[]> {
  const info = await useBackend(backend.name, { threads });
  const engine = `tfjs-${info.name}`;
  log(`${engine}: ${info.device ?? 'device unknown'}`);
  const measured: Measured[] = [];
  const tensorsBefore = tf.memory().numTensors;
  for (const modelName of MODELS) {
    const { model, data } = buildModel(modelName, plan);
    try {
      const slowConvTraining = modelName === 'conv-ae' && info.name === 'cpu';
      if (slowConvTraining && !convTrainingOnCpu) {
        log(`${engine} ${modelName} train: skipped, the pure-JS cpu backend trains convolutions at ≈ 1–2 samples/s (name the cpu backend explicitly to run it)`);
      } else {
        if (slowConvTraining) log(`${engine} ${modelName} train: ≈ 1–2 samples/s, this takes minutes`);
        const t = await trainingThroughput(model, data, plan.batchSize, slowConvTraining ? SLOW_WORKLOAD : plan);
        log(`${engine} ${modelName} train: ${fmt(t)}`);
        measured.push({ name: `${modelName} train`, engine, value: t.samplesPerSec });
      }
      const t = await inferenceThroughput(model, data, plan.batchSize, plan);
      log(`${engine} ${modelName} inference: ${fmt(t)}`);
      measured.push({ name: `${modelName} inference`, engine, value: t.samplesPerSec });
    } finally {
      model.dispose();
      data.dispose();
    }
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) log(`${engine}: warning, ${leaked} tensor(s) left after the benchmark`);
  return measured;
}

/** The TF.js rows with PyTorch's value of the same name as reference, each followed by PyTorch's own row. */
function withReferences(measured: Measured[], references: Map<string, number>): BenchResult[] {
  const results: BenchResult[] = [];
  for (const modelName of MODELS) {
    for (const phase of ['train', 'inference']) {
      const name = `${modelName} ${phase}`;
      const reference = references.get(name) ?? null;
      for (const m of measured.filter((r) => r.name === name))
        results.push({ ...m, unit: 'samples/s', reference, ratio: reference === null ? null : m.value / reference });
      if (reference !== null)
        results.push({ name, engine: 'pytorch-cpu', value: reference, unit: 'samples/s', reference: null, ratio: null });
    }
  }
  return results;
}

export async function runBench(opts: BenchOptions = {}): Promise<BenchReport> {
  const log = opts.onLog ?? (() => {});
  const plan = opts.quick ? QUICK_PLAN : FULL_PLAN;
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1))
    throw new Error(`bench: threads must be a positive integer, got ${opts.threads}`);
  // One thread count for both sides: the wasm backend runs XNNPACK on it, PyTorch its ops and BLAS.
  const threads = opts.threads ?? wasmThreadsInUse() ?? 1;

  // Imports run before anything else has grown the process, so their peak memory is theirs.
  const imports: ImportBenchResult[] = [];
  for (const rows of plan.importRows) imports.push(await importBench(rows, log));
  const metrics = metricsBench(plan.metricsScores, log);

  // PyTorch runs before TF.js, never beside it: XNNPACK's worker threads keep spinning in this process
  // once started, and would take the cores PyTorch is being timed on.
  log(`pytorch-cpu: running resources/bench/torch_reference.py on ${threads} thread(s)`);
  const torch = await runTorchReference(plan, threads);
  const references = new Map<string, number>();
  if (torch.ok) {
    log(`pytorch-cpu: torch ${torch.report.torch}, BLAS ${torch.report.blas}`);
    for (const r of torch.report.results) {
      log(`pytorch-cpu ${r.name}: ${r.value.toFixed(1)} ${r.unit}`);
      references.set(r.name, r.value);
    }
  } else {
    log(`pytorch-cpu: skipped, ${torch.reason}; the report has no reference values`);
  }

  const backends = await chooseBackends(opts.backends, log);
  const measured: Measured[] = [];
  for (const backend of backends)
    measured.push(...(await benchBackend(backend, plan, threads, opts.backends?.includes('cpu') ?? false, log)));

  const cpuList = cpus();
  const machine: BenchMachine = {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    tfjs: tf.version_core,
    threads,
    ...(torch.ok ? { torch: torch.report.torch, blas: torch.report.blas } : {}),
  };
  return { machine, results: withReferences(measured, references), imports, metrics };
}
