// runs.curves: the ROC, SIC and score histograms of one scored run, from its scores.npy and labels.npy.
import { readFileSync } from 'node:fs';
import { ApiError, type RunCurves } from '@shared/api';
import { rocPlotData, scoreHistogramData } from '@shared/metrics/plot-data';
import { parseNpy } from '../data/npy';
import type { Registry } from './registry';

export function runCurves(registry: Registry, idOrPrefix: string): RunCurves {
  const run = registry.getRun(idOrPrefix);
  const what = `run ${run.id} (${run.name})`;
  const array = (name: string): ArrayLike<number> => {
    const a = run.artifacts.find((x) => x.name === name);
    if (!a) throw new ApiError(`${what} has no scores: it stored no ${name} (only scored training runs have curves)`, 'bad-request');
    const file = registry.artifactFile(a);
    const { data } = parseNpy(new Uint8Array(readFileSync(file)), file);
    if (data instanceof BigInt64Array) throw new ApiError(`${file}: 64-bit integers where numbers were expected`, 'bad-request');
    return data;
  };
  const scores = array('scores.npy');
  const labels = array('labels.npy');
  try {
    const { auc, roc, sic } = rocPlotData(scores, labels);
    return { runId: run.id, auc, roc, sic, scores: scoreHistogramData(scores, labels) };
  } catch (e) {
    // One class only, or mismatched lengths: the run's data, not the request, but nothing to draw either.
    throw new ApiError(`${what}: no curves from its scores: ${(e as Error).message}`, 'bad-request');
  }
}
