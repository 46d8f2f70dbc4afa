// What the benchmark runs: the two models, their data sizes and how long each measurement lasts.
// The TF.js side and the PyTorch reference read the same plan, so both time identical work.

export interface Workload {
  /** Training batches run before timing starts (kernel set-up, first allocations, optimiser slots). */
  warmupBatches: number;
  /** A measurement lasts at least this long … */
  seconds: number;
  /** … and at least this many batches. */
  minBatches: number;
}

export interface DenseSpec {
  inputDim: number;
  widths: number[];
}

export interface ConvSpec {
  imageSize: number;
  kernelSize: number;
  bottleneck: number;
}

export interface BenchPlan extends Workload {
  batchSize: number;
  /** Sizes (jets) of the Top Tagging files imported; two sizes show whether peak memory grows with the file. */
  importRows: number[];
  /** Random scores of the ROC + AUC timing. */
  metricsScores: number;
  dense: DenseSpec & { samples: number };
  conv: ConvSpec & { samples: number };
}

// The AnomalyCLR dense baseline on the 57 ADC2021 inputs and the Heimel-style jet-image conv AE.
const MODELS: { dense: DenseSpec; conv: ConvSpec } = {
  dense: { inputDim: 57, widths: [256, 128, 64, 32, 16, 5] },
  conv: { imageSize: 40, kernelSize: 3, bottleneck: 32 },
};

/** The full benchmark: about 2 minutes on two cores with wasm, cpu and PyTorch. */
export const FULL_PLAN: BenchPlan = {
  batchSize: 256,
  importRows: [50_000, 200_000],
  metricsScores: 10_000_000,
  warmupBatches: 4,
  seconds: 8,
  minBatches: 2,
  dense: { ...MODELS.dense, samples: 16384 },
  conv: { ...MODELS.conv, samples: 1024 },
};

/**
 * A smoke run of seconds: small batches, one warm-up and one timed batch each. Its numbers are
 * rough and, with batch 64, not comparable with the full plan's; its ratios still compare like with like.
 */
export const QUICK_PLAN: BenchPlan = {
  batchSize: 64,
  importRows: [2_000],
  metricsScores: 100_000,
  warmupBatches: 1,
  seconds: 0.25,
  minBatches: 1,
  dense: { ...MODELS.dense, samples: 1024 },
  conv: { ...MODELS.conv, samples: 64 },
};
