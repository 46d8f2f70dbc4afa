// Study "representation" (AnomalyCLR, Dillon et al.): on ADC2021-layout events, the same dense
// autoencoder on the raw objects (the 57 event features) and on the contrastive representation, side by
// side per signal — AUC, 1/ε_B at ε_S = 0.3 and ε_S at ε_B = 10⁻⁵ — with scans of the contrastive loss
// and of the representation width.
import type { AnomalousAugmentation, RunDetail } from '@shared/api';
import { rejectionAt, tprAtFpr, auc as rocAuc } from '@shared/metrics/roc';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { TrainSpec } from '../train/dataset-training';
import type { StudyResults, StudyRunner } from './run-study';
import { meanStd, signalRocs } from './study-results';

type RepresentationStudy = Extract<ResolvedStudy, { kind: 'representation' }>;

interface Setup {
  label: string;
  model: Partial<TrainSpec>;
}

interface SignalMetrics {
  auc: number;
  rejection: number;
  tprAtFpr1e5: number;
}

function perSignal(runner: StudyRunner, run: RunDetail, signals: string[]): Record<string, SignalMetrics> {
  const rocs = signalRocs(runner, run, signals);
  return Object.fromEntries(
    signals.map((name) => [name, { auc: rocAuc(rocs[name]), rejection: rejectionAt(rocs[name], 0.3).rejection, tprAtFpr1e5: tprAtFpr(rocs[name], 1e-5) }]),
  );
}

export async function representationStudy(runner: StudyRunner, study: RepresentationStudy): Promise<StudyResults> {
  const background = await runner.dataset(study.background);
  const signalNames = study.signals.map((s) => s.name);
  const signals: string[] = [];
  for (const s of study.signals) signals.push(await runner.dataset(s.data));
  const setups: Setup[] = [{ label: 'AE on raw objects', model: { model: 'dense-ae', representation: { kind: 'event-features' } } }];
  // One-dimensional scans around the first choice of each: the representation width, then (for the losses with
  // an anomalous view) the augmentation set, so the number of runs grows with the sum of the scans, not their product.
  const [firstAugs, ...otherAugs] = study.augmentations;
  const augLabel = (augs: string[]) => augs.join('+');
  for (const loss of study.losses) {
    const anomalous = loss !== 'clr';
    const setup = (repDim: number, augs: AnomalousAugmentation[]): Setup => ({
      label: `AE on ${loss} representation (d = ${repDim}${anomalous ? `, ${augLabel(augs)}` : ''})`,
      model: { model: 'anomalyclr', clrLoss: loss, repDim, ...(anomalous ? { anomalousAugs: augs } : {}) },
    });
    for (const repDim of study.repDims) setups.push(setup(repDim, firstAugs));
    if (anomalous) for (const augs of otherAugs) setups.push(setup(study.repDims[0], augs));
  }
  const rows: { setup: string; runs: string[]; perSignal: Record<string, { auc: number; aucStd: number; rejection: number; tprAtFpr1e5: number }> }[] = [];
  for (const setup of setups) {
    const runs: RunDetail[] = [];
    for (const seed of study.seeds) runs.push(await runner.train({ ...study.model, ...setup.model, dataset: background, signal: signals, seed } as TrainSpec));
    const evals = runs.map((r) => perSignal(runner, r, signalNames));
    const metrics = Object.fromEntries(
      signalNames.map((name) => {
        const of = (key: keyof SignalMetrics) => meanStd(evals.map((e) => e[name][key]));
        const auc = of('auc');
        return [name, { auc: auc.mean, aucStd: auc.std, rejection: of('rejection').mean, tprAtFpr1e5: of('tprAtFpr1e5').mean }];
      }),
    );
    rows.push({ setup: setup.label, ...setup.model, runs: runs.map((r) => r.id), perSignal: metrics });
  }
  const summary: Record<string, number> = {};
  rows.forEach((r, i) => signalNames.forEach((s) => (summary[`auc_${i}_${s}`] = r.perSignal[s].auc)));
  return {
    metrics: { setups: rows, signals: signalNames },
    summary,
    plots: {
      // One bar group per signal: the AUC of every setup.
      aucBySignal: signalNames.map((s) => ({ signal: s, auc: rows.map((r) => ({ setup: r.setup, auc: r.perSignal[s].auc, aucStd: r.perSignal[s].aucStd })) })),
    },
  };
}
