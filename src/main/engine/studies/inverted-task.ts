// Study "inverted task" (Finke et al.): the same model and preprocessing trained on class A and tested
// for B, and trained on B and tested for A. An autoencoder that flags "new physics" in general should tag
// in both directions; with jet images, the QCD-trained AE tags top jets while the top-trained one fails
// to tag QCD (QCD images are sparser and reconstruct easily: complexity bias). The model-independence
// figure is the worse of the two AUCs. Optionally each direction is also trained semi-supervised (a few
// labelled rows of the tagged class as outliers), and both directions are repeated per preprocessing variant.
import type { RunDetail } from '@shared/api';
import type { ResolvedStudy } from '@shared/study/study-file';
import type { Representation } from '../represent/representation';
import type { TrainSpec } from '../train/dataset-training';
import { complexityDiagnostics, meanImages, type ClassDiagnostics } from './complexity-bias';
import type { StudyResults, StudyRunner } from './run-study';
import { curves, meanStd, scoreHistograms, type MeanStd } from './study-results';

type InvertedTask = Extract<ResolvedStudy, { kind: 'inverted-task' }>;

/**
 * A setup "tags both ways" when both directions' mean AUC exceeds 0.5 by this much: a margin above the
 * seed-to-seed scatter of small studies, so a coin flip (AUC ≈ 0.5) never counts as tagging.
 */
export const TAGS_BOTH_WAYS_MARGIN = 0.05;

interface Direction {
  train: string;
  signal: string;
  background: string;
  signalData: string;
}

/** Both directions trained with `extra` on top of the study's model, over every seed. */
async function trainDirections(runner: StudyRunner, study: InvertedTask, directions: Direction[], extra: (d: Direction) => Partial<TrainSpec>): Promise<{ runs: RunDetail[][]; aucs: MeanStd[] }> {
  const runs: RunDetail[][] = [];
  for (const d of directions) {
    const perSeed: RunDetail[] = [];
    for (const seed of study.seeds) perSeed.push(await runner.train({ ...study.model, dataset: d.background, signal: [d.signalData], seed, ...extra(d) } as TrainSpec));
    runs.push(perSeed);
  }
  return { runs, aucs: runs.map((perSeed) => meanStd(perSeed.map((r) => r.summary.auc))) };
}

const directionRows = (directions: Direction[], aucs: MeanStd[], runs: RunDetail[][]) =>
  directions.map((d, i) => ({ train: d.train, signal: d.signal, auc: aucs[i].mean, aucStd: aucs[i].std, runs: runs[i].map((r) => r.id) }));

/** Rows: the class trained on; columns: the class tagged as signal. The diagonal is not a task. */
const table = (study: InvertedTask, aucs: MeanStd[]) => ({
  classes: [study.a.name, study.b.name],
  auc: [
    [null, aucs[0].mean],
    [aucs[1].mean, null],
  ],
});

const worst = (aucs: MeanStd[]) => Math.min(...aucs.map((x) => x.mean));

export async function invertedTask(runner: StudyRunner, study: InvertedTask): Promise<StudyResults> {
  const a = await runner.dataset(study.a.data);
  const b = await runner.dataset(study.b.data);
  const directions: Direction[] = [
    { train: study.a.name, signal: study.b.name, background: a, signalData: b },
    { train: study.b.name, signal: study.a.name, background: b, signalData: a },
  ];
  const { runs, aucs } = await trainDirections(runner, study, directions, () => ({}));
  // The representation the runs resolved (their config keeps it), for the diagnostics' images.
  const spec = (runs[0][0].config as { representation: Representation }).representation;
  const diagnostics: ClassDiagnostics[][] = [];
  for (const [i, d] of directions.entries()) diagnostics.push(await complexityDiagnostics(runner, runs[i][0], [d.background, d.signalData]));
  const modelIndependence = worst(aucs);
  const summary: Record<string, number> = { model_independence: modelIndependence };
  directions.forEach((d, i) => {
    summary[`auc_${d.train}_tags_${d.signal}`] = aucs[i].mean;
  });

  const semi = study.semiSupervised;
  let semiSupervised = null;
  if (semi) {
    // The tagged class's dataset, its first `rows` training rows, is the labelled-anomaly sample.
    const s = await trainDirections(runner, study, directions, (d) => ({ outliers: d.signalData, maxOutliers: semi.rows, lambda: semi.lambda, margin: semi.margin }));
    semiSupervised = { ...semi, directions: directionRows(directions, s.aucs, s.runs), modelIndependence: worst(s.aucs), table: table(study, s.aucs) };
    directions.forEach((d, i) => {
      summary[`auc_semi_${d.train}_tags_${d.signal}`] = s.aucs[i].mean;
    });
    summary.model_independence_semi = worst(s.aucs);
  }

  const variants = [];
  for (const v of study.variants) {
    const r = await trainDirections(runner, study, directions, () => ({ representation: v.representation }));
    const mi = worst(r.aucs);
    variants.push({ name: v.name, representation: v.representation, directions: directionRows(directions, r.aucs, r.runs), modelIndependence: mi, tagsBothWays: mi > 0.5 + TAGS_BOTH_WAYS_MARGIN });
    summary[`model_independence_${v.name}`] = mi;
  }

  const images = spec.kind === 'jet-images' ? directions.map((_, i) => meanImages(runner, runs[i][0], spec.pixels ?? 40)) : null;
  return {
    metrics: {
      directions: directions.map((d, i) => ({
        ...directionRows(directions, aucs, runs)[i],
        // Complexity bias: how each class's score follows the constituent multiplicity (first seed).
        scoreMultiplicityCorrelation: { [d.train]: diagnostics[i][0].correlation, [d.signal]: diagnostics[i][1].correlation },
      })),
      modelIndependence,
      tagsBothWays: modelIndependence > 0.5 + TAGS_BOTH_WAYS_MARGIN,
      tagsBothWaysMargin: TAGS_BOTH_WAYS_MARGIN,
      table: table(study, aucs),
      semiSupervised,
      variants,
    },
    summary,
    plots: {
      // Per direction (first seed): 'tagged' is the class scored as signal.
      roc: directions.map((d, i) => ({ train: d.train, tagged: d.signal, ...curves(runner, runs[i][0]).roc })),
      scores: directions.map((d, i) => ({ train: d.train, tagged: d.signal, ...scoreHistograms(runner, runs[i][0]) })),
      scoreVsMultiplicity: directions.map((d, i) => ({ train: d.train, tagged: d.signal, trained: diagnostics[i][0].multiplicity, taggedClass: diagnostics[i][1].multiplicity })),
      // Mean test images of each class (image representations), from the first direction's test split (first seed).
      meanImages: images ? { [study.a.name]: images[0].input[0], [study.b.name]: images[0].input[1] } : null,
      // Per direction (first seed): the mean reconstruction of the trained and the tagged class by the model trained on `train`.
      meanReconstructions: images
        ? directions.map((d, i) => ({ train: d.train, tagged: d.signal, trained: images[i].reconstruction[0], taggedClass: images[i].reconstruction[1] }))
        : null,
    },
  };
}
