// Study "inverted task" (Finke et al.): the same model and preprocessing trained on class A and tested
// for B, and trained on B and tested for A. An autoencoder that flags "new physics" in general should tag
// in both directions; with jet images, the QCD-trained AE tags top jets while the top-trained one fails
// to tag QCD (QCD images are sparser and reconstruct easily: complexity bias). The model-independence
// figure is the worse of the two AUCs.
import type { RunDetail } from '@shared/api';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { Representation } from '../represent/representation';
import { complexityDiagnostics, type ClassDiagnostics } from './complexity-bias';
import type { StudyResults, StudyRunner } from './run-study';
import { curves, meanStd, scoreHistograms } from './study-results';

type InvertedTask = Extract<ResolvedStudy, { kind: 'inverted-task' }>;

export async function invertedTask(runner: StudyRunner, study: InvertedTask): Promise<StudyResults> {
  const a = await runner.dataset(study.a.data);
  const b = await runner.dataset(study.b.data);
  const directions = [
    { train: study.a.name, signal: study.b.name, background: a, signalData: b },
    { train: study.b.name, signal: study.a.name, background: b, signalData: a },
  ];
  const runs: RunDetail[][] = [];
  for (const d of directions) {
    const perSeed: RunDetail[] = [];
    for (const seed of study.seeds) perSeed.push(await runner.train({ ...study.model, dataset: d.background, signal: [d.signalData], seed }));
    runs.push(perSeed);
  }
  const aucs = runs.map((perSeed) => meanStd(perSeed.map((r) => r.summary.auc)));
  // The representation the runs resolved (their config keeps it), for the diagnostics' images.
  const spec = (runs[0][0].config as { representation: Representation }).representation;
  const diagnostics: ClassDiagnostics[][] = [];
  for (const [i, d] of directions.entries()) diagnostics.push(await complexityDiagnostics(runner, runs[i][0], [d.background, d.signalData], spec));
  const modelIndependence = Math.min(...aucs.map((x) => x.mean));
  const summary: Record<string, number> = { model_independence: modelIndependence };
  directions.forEach((d, i) => {
    summary[`auc_${d.train}_tags_${d.signal}`] = aucs[i].mean;
  });
  return {
    metrics: {
      directions: directions.map((d, i) => ({
        train: d.train,
        signal: d.signal,
        auc: aucs[i].mean,
        aucStd: aucs[i].std,
        runs: runs[i].map((r) => r.id),
        // Complexity bias: how each class's score follows the constituent multiplicity (first seed).
        scoreMultiplicityCorrelation: { [d.train]: diagnostics[i][0].correlation, [d.signal]: diagnostics[i][1].correlation },
      })),
      modelIndependence,
      // Rows: the class trained on; columns: the class tagged as signal. The diagonal is not a task.
      table: {
        classes: [study.a.name, study.b.name],
        auc: [
          [null, aucs[0].mean],
          [aucs[1].mean, null],
        ],
      },
    },
    summary,
    plots: {
      // Per direction (first seed): 'tagged' is the class scored as signal.
      roc: directions.map((d, i) => ({ train: d.train, tagged: d.signal, ...curves(runner, runs[i][0]).roc })),
      scores: directions.map((d, i) => ({ train: d.train, tagged: d.signal, ...scoreHistograms(runner, runs[i][0]) })),
      scoreVsMultiplicity: directions.map((d, i) => ({ train: d.train, tagged: d.signal, trained: diagnostics[i][0].multiplicity, taggedClass: diagnostics[i][1].multiplicity })),
      // Mean test images of each class (image representations), from the first direction's test split.
      meanImages: diagnostics[0][0].meanImage ? { [study.a.name]: diagnostics[0][0].meanImage, [study.b.name]: diagnostics[0][1].meanImage } : null,
    },
  };
}
