// Study "topology" (Batson, Haaf, Kahn, Roberts): autoencoders with a bottleneck below and at the
// intrinsic dimension of a manifold sample. An AE cannot map a circle (or sphere, torus) through a
// bottleneck narrower than needed without a seam: some normal points are reconstructed badly, and a
// localized "signal" patch may be reconstructed well. Reported per manifold and bottleneck: the AUC of
// the signal patch, the background's reconstruction error as a function of position on the manifold, and
// the latent embedding of a fixed set of training points before training and after every epoch.
import type { RunDetail } from '@shared/api';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { TrainSpec } from '../train/dataset-training';
import type { StudyResults, StudyRunner } from './run-study';
import { meanStd } from './study-results';

type Topology = Extract<ResolvedStudy, { kind: 'topology' }>;

/** Mean background reconstruction error in bins of the first intrinsic coordinate (angle or height). */
function errorVsPosition(runner: StudyRunner, run: RunDetail, dataset: string, bins: number) {
  const scores = runner.artifact(run, 'scores.npy');
  const labels = runner.artifact(run, 'labels.npy');
  const rows = runner.artifact(run, 'rows.npy');
  const bg = [...labels.keys()].filter((i) => labels[i] === 0);
  const { values, width } = runner.datasetRows(dataset, 'intrinsic', bg.map((i) => rows[i]));
  const position = bg.map((_, j) => values[j * width]);
  const lo = Math.min(...position);
  const hi = Math.max(...position);
  const step = (hi - lo) / bins || 1;
  const sum = new Array<number>(bins).fill(0);
  const count = new Array<number>(bins).fill(0);
  bg.forEach((i, j) => {
    const b = Math.min(bins - 1, Math.floor((position[j] - lo) / step));
    sum[b] += scores[i];
    count[b]++;
  });
  const mean = sum.map((s, b) => (count[b] > 0 ? s / count[b] : 0));
  const worst = mean.indexOf(Math.max(...mean));
  return {
    edges: Array.from({ length: bins + 1 }, (_, b) => lo + b * step),
    meanError: mean,
    events: count,
    // Where the seam is: the bin of the largest mean error, and how much worse it is than the median bin.
    seam: { position: lo + (worst + 0.5) * step, ratioToMedian: mean[worst] / [...mean].sort((a, b) => a - b)[Math.floor(bins / 2)] },
  };
}

/** Five significant digits: enough for a plot, and the results JSON stays small. */
const round = (v: number) => Number(v.toPrecision(5));

/** At most this many snapshots go into the plot data (evenly spaced, the first and last always): the results JSON stays small. */
const MAX_PLOTTED_SNAPSHOTS = 51;

/** Snapshot indices 0..last, thinned to at most MAX_PLOTTED_SNAPSHOTS, keeping the last. */
function plottedEpochs(last: number): number[] {
  const stride = Math.ceil(last / (MAX_PLOTTED_SNAPSHOTS - 1)) || 1;
  const out = Array.from({ length: Math.floor(last / stride) + 1 }, (_, i) => i * stride);
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

/**
 * The run's latent snapshots (E+1, K, L) as plot data: for the plotted epochs (0 = before training) each
 * point's first two latent coordinates, and each point's first intrinsic coordinate (for colouring).
 */
function latentEmbedding(runner: StudyRunner, run: RunDetail, dataset: string, latent: number) {
  const snapshots = runner.artifact(run, 'latent-snapshots.npy');
  const rows = runner.artifact(run, 'latent-rows.npy');
  const k = rows.length;
  const count = snapshots.length / (k * latent);
  if (!Number.isInteger(count)) throw new Error(`run ${run.id}: ${snapshots.length} latent values are not snapshots of ${k} points × ${latent} dimensions`);
  const dims = Math.min(latent, 2);
  const { values, width } = runner.datasetRows(dataset, 'intrinsic', rows);
  const epochs = plottedEpochs(count - 1);
  return {
    epochs,
    position: Array.from({ length: k }, (_, p) => round(values[p * width])),
    points: epochs.map((e) => Array.from({ length: k }, (_, p) => Array.from({ length: dims }, (_, d) => round(snapshots[(e * k + p) * latent + d])))),
  };
}

export async function topologyStudy(runner: StudyRunner, study: Topology): Promise<StudyResults> {
  const results = [];
  const summary: Record<string, number> = {};
  for (const m of study.manifolds) {
    const dataset = await runner.dataset(m.data);
    for (const offset of study.latentOffsets) {
      const latent = m.intrinsicDim + offset;
      if (latent < 1) continue;
      const runs: RunDetail[] = [];
      for (const seed of study.seeds) {
        runs.push(await runner.train({ ...study.model, model: 'dense-ae', widths: [...study.hidden, latent], dataset, signal: [], seed, latentSnapshots: study.snapshots } as TrainSpec));
      }
      const auc = meanStd(runs.map((r) => r.summary.auc));
      const profile = errorVsPosition(runner, runs[0], dataset, study.positionBins);
      const embedding = study.snapshots > 0 ? latentEmbedding(runner, runs[0], dataset, latent) : null;
      results.push({ manifold: m.name, intrinsicDim: m.intrinsicDim, latent, signalAuc: auc.mean, signalAucStd: auc.std, seam: profile.seam, runs: runs.map((r) => r.id), profile, embedding });
      summary[`auc_${m.name}_latent${latent}`] = auc.mean;
    }
  }
  return {
    metrics: { configurations: results.map(({ profile: _profile, embedding: _embedding, ...rest }) => rest) },
    summary,
    plots: {
      errorVsPosition: results.map((r) => ({ manifold: r.manifold, latent: r.latent, ...r.profile })),
      // Per configuration (first seed): the latent coordinates of the snapshot points over training.
      latentEmbedding: results.filter((r) => r.embedding).map((r) => ({ manifold: r.manifold, latent: r.latent, ...r.embedding! })),
    },
  };
}
