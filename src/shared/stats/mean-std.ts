// Mean and sample standard deviation over seeds: what the studies report and the runs browser shows
// for runs grouped by configuration.

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single seed. */
  std: number;
  values: number[];
}

export function meanStd(values: number[]): MeanStd {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std, values };
}
