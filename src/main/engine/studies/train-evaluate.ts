// Study "train & evaluate": one model on one representation, trained on the background only, scored on
// the labelled test split, repeated over seeds: AUC and rejections as mean ± std, ROC/SIC curves and
// score histograms per class.
import type { RunDetail } from '@shared/api';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { StudyResults, StudyRunner } from './run-study';
import { curves, meanStd, scoreHistograms } from './study-results';

type TrainEvaluate = Extract<ResolvedStudy, { kind: 'train-evaluate' }>;

export async function trainEvaluate(runner: StudyRunner, study: TrainEvaluate): Promise<StudyResults> {
  const background = await runner.dataset(study.background);
  const signal: string[] = [];
  for (const s of study.signal) signal.push(await runner.dataset(s));
  const runs: RunDetail[] = [];
  for (const seed of study.seeds) runs.push(await runner.train({ ...study.model, dataset: background, signal, seed }));
  const stat = (key: string) => meanStd(runs.map((r) => r.summary[key]).filter((v) => v !== undefined));
  const auc = stat('auc');
  const rejection = stat('rejection');
  const sicMax = stat('sic_max');
  return {
    metrics: {
      auc: auc.mean,
      aucStd: auc.std,
      rejection: rejection.mean,
      rejectionStd: rejection.std,
      sicMax: sicMax.mean,
      perSeed: runs.map((r, i) => ({ seed: study.seeds[i], run: r.id, auc: r.summary.auc, rejection: r.summary.rejection })),
      background,
      signal,
    },
    summary: { auc: auc.mean, auc_std: auc.std, rejection: rejection.mean, rejection_std: rejection.std, sic_max: sicMax.mean },
    plots: {
      roc: runs.map((r, i) => ({ seed: study.seeds[i], ...curves(runner, r).roc })),
      sic: runs.map((r, i) => ({ seed: study.seeds[i], ...curves(runner, r).sic })),
      scores: { seed: study.seeds[0], ...scoreHistograms(runner, runs[0]) },
    },
  };
}
