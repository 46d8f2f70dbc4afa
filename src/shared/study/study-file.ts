// Study files: one JSON document that says which data, which model and which seeds a study uses. The
// same schema validates files from the CLI, the UI wizards and cluster submissions; keys starting with
// '$' are comments and are ignored.
import { z } from 'zod';
import { GenerateParams, RepresentationSpec } from '../schemas/datasets';
import { ANOMALOUS_AUGMENTATIONS, CLR_LOSSES, OE_VARIANTS, TrainConfig } from '../schemas/training';

/**
 * A dataset of a study: a stored dataset by name, or a built-in generator run (the file is made once in
 * the workbench home and imported; the same spec reuses it).
 */
export const StudyDataset = z.union([
  z.object({ dataset: z.string().min(1) }),
  z.object({ generate: GenerateParams.options[0].omit({ out: true }) }),
  z.object({ generate: GenerateParams.options[1].omit({ out: true }) }),
  z.object({ generate: GenerateParams.options[2].omit({ out: true }) }),
  z.object({ generate: GenerateParams.options[3].omit({ out: true }) }),
  z.object({ generate: GenerateParams.options[4].omit({ out: true }) }),
]);
export type StudyDataset = z.infer<typeof StudyDataset>;

/** The model and its training, as `awb train` takes them, without the datasets (the study supplies them). */
export const StudyModel = TrainConfig.omit({ dataset: true, signal: true, outliers: true, resumeFrom: true, seed: true });
export type StudyModel = z.infer<typeof StudyModel>;

const Seeds = z.array(z.number().int().min(0)).min(1).default([1]);

export const TrainEvaluateStudy = z.object({
  kind: z.literal('train-evaluate'),
  name: z.string().min(1).default('train & evaluate'),
  background: StudyDataset,
  signal: z.array(StudyDataset).min(1),
  model: StudyModel,
  /** One training run per seed; metrics are reported as mean ± standard deviation over seeds. */
  seeds: Seeds,
});

export const InvertedTaskStudy = z.object({
  kind: z.literal('inverted-task'),
  name: z.string().min(1).default('inverted task'),
  /** Class A (e.g. QCD jets) and class B (e.g. top jets): train on A and tag B, and the reverse. */
  a: z.object({ name: z.string().min(1), data: StudyDataset }),
  b: z.object({ name: z.string().min(1), data: StudyDataset }),
  model: StudyModel,
  /**
   * Semi-supervised training: each direction also sees this many labelled rows of the class it tags (from that
   * class's training split) as outliers whose reconstruction error is pushed up (TrainConfig lambda, margin).
   */
  semiSupervised: z.object({ rows: z.number().int().min(1), lambda: z.number().min(0).default(1), margin: z.number().min(0).default(2) }).optional(),
  /** Preprocessing variants (e.g. intensity transforms): both directions are trained for each, to see which setup tags both ways. */
  variants: z.array(z.object({ name: z.string().min(1), representation: RepresentationSpec })).default([]),
  seeds: Seeds,
});

/** A named dataset of a study (e.g. each signal of a mass-decorrelation scan). */
const NamedDataset = z.object({ name: z.string().min(1), data: StudyDataset });

export const MassDecorrelationStudy = z.object({
  kind: z.literal('mass-decorrelation'),
  name: z.string().min(1).default('mass decorrelation'),
  background: StudyDataset,
  signals: z.array(NamedDataset).min(1),
  /** The VAE and its training (model 'vae'; the objective and λ are set per configuration). */
  model: StudyModel,
  /** DisCo weights λ to scan; λ = 0 is the plain β-VAE. */
  disco: z.array(z.number().min(0)).default([0, 10, 100]),
  /** OE-VAE variants to train, with `outliers` as the exposed sample and `lambda` as their weight. */
  oe: z.array(z.enum(OE_VARIANTS)).default([]),
  outliers: StudyDataset.optional(),
  oeLambda: z.number().min(0).default(2),
  /** Background efficiencies of the score cuts whose mass spectra and 1/JSD are reported. */
  efficiencies: z.array(z.number().gt(0).max(1)).min(1).default([0.5, 0.1, 0.01]),
  /** Mass histogram for JSD and the spectra, GeV. */
  massBins: z.object({ low: z.number().min(0), high: z.number().positive(), bins: z.number().int().min(2).max(1000) }).default({ low: 0, high: 300, bins: 30 }),
  seeds: Seeds,
});

export const RepresentationStudy = z.object({
  kind: z.literal('representation'),
  name: z.string().min(1).default('representation'),
  /** ADC2021-layout event datasets: the SM background and the signals, each reported on its own. */
  background: StudyDataset,
  signals: z.array(NamedDataset).min(1),
  /** The dense AE on the raw objects (the 57 event features) and, with the same AE, on the representation. */
  model: StudyModel,
  /** Scans of the AnomalyCLR setup: contrastive losses (clr uses no anomalous augmentation) and representation widths. */
  losses: z.array(z.enum(CLR_LOSSES)).min(1).default(['anomclr']),
  /** Sets of anomalous augmentations to scan (for the anomclr losses; clr uses none). */
  augmentations: z.array(z.array(z.enum(ANOMALOUS_AUGMENTATIONS)).min(1)).min(1).default([['ao', 'aowcpm']]),
  repDims: z.array(z.number().int().min(4)).min(1).default([136]),
  seeds: Seeds,
});

export const TopologyStudy = z.object({
  kind: z.literal('topology'),
  name: z.string().min(1).default('topological obstructions'),
  /** Manifold samples (awb generate manifold …), each with its intrinsic dimension and a localized signal patch. */
  manifolds: z.array(z.object({ name: z.string().min(1), data: StudyDataset, intrinsicDim: z.number().int().min(1) })).min(1),
  /** Bottleneck widths relative to the intrinsic dimension d: −1 is d − 1 (below), 0 is d (at), 1 is d + 1 (above); widths below 1 are skipped. */
  latentOffsets: z.array(z.number().int().max(4)).min(1).default([-1, 0, 1]),
  /** The dense AE's hidden widths before the bottleneck, and its training. */
  hidden: z.array(z.number().int().min(1)).default([64, 32]),
  model: StudyModel,
  /** Bins of the first intrinsic coordinate for the error-versus-position profile. */
  positionBins: z.number().int().min(2).max(360).default(36),
  /** Training rows whose latent coordinates are recorded before training and after every epoch (0 = none). */
  snapshots: z.number().int().min(0).max(5000).default(300),
  seeds: Seeds,
});

export const BumpHuntStudy = z.object({
  kind: z.literal('bump-hunt'),
  name: z.string().min(1).default('bump hunt'),
  /** A feature table with a mass per event: the dijet generator, or n-body phase space with a resonance. */
  data: StudyDataset,
  /** Where the invariant mass is: a feature column (e.g. 'mjj') or a per-row array (e.g. 'pair_mass'). */
  mass: z.string().min(1).default('mjj'),
  /** √s in GeV (x = m/√s in the dijet function). */
  sqrtS: z.number().positive().default(13_000),
  massBins: z.object({ low: z.number().positive(), high: z.number().positive(), bins: z.number().int().min(8).max(500) }).default({ low: 1_500, high: 6_000, bins: 45 }),
  /** The anomaly score: the model trained on the training split (background-labelled rows) of the data. */
  model: StudyModel,
  /** Fractions of the test events kept by the score cut (the data are cut on the score only; 1 = no cut). */
  efficiencies: z.array(z.number().gt(0).max(1)).min(1).default([1, 0.1, 0.01]),
  /** Signal windows: widths in bins of the sliding window scan. */
  windowWidths: z.array(z.number().int().min(1)).min(1).default([3]),
  /** Pseudo-experiments for the global significance of the best window (0 = local only). */
  toys: z.number().int().min(0).max(100_000).default(0),
  seeds: Seeds,
});

export const StudyFile = z.discriminatedUnion('kind', [TrainEvaluateStudy, InvertedTaskStudy, MassDecorrelationStudy, RepresentationStudy, TopologyStudy, BumpHuntStudy]);
export type StudyFile = z.input<typeof StudyFile>;
export type ResolvedStudy = z.infer<typeof StudyFile>;
export const STUDY_KINDS = StudyFile.options.map((o) => o.shape.kind.value);
export type StudyKind = ResolvedStudy['kind'];

const jets = (process: 'qcd' | 'top', n: number, seed: number): StudyDataset => ({ generate: { kind: 'jets', process, n, seed } });

/**
 * The starting file of each kind, on the built-in jets. Quick: small samples and few epochs (minutes
 * on two cores; what CI runs). Full: the sizes the README quotes run times for.
 */
export function defaultStudy(kind: StudyKind, quick: boolean): StudyFile {
  const n = quick ? { qcd: 1500, top: 600 } : { qcd: 12_000, top: 4_000 };
  const model = {
    model: 'conv-ae' as const,
    representation: { kind: 'jet-images' as const, pixels: 40, range: 0.8, transform: 'sqrt' as const },
    epochs: quick ? 2 : 10,
    batchSize: 128,
  };
  const seeds = quick ? [1] : [1, 2, 3];
  if (kind === 'mass-decorrelation') {
    return {
      kind,
      name: 'VAE mass decorrelation: DisCo λ scan and OE-VAE',
      background: jets('qcd', n.qcd, 1),
      signals: [
        { name: 'top', data: jets('top', n.top, 2) },
        { name: 'w', data: { generate: { kind: 'jets', process: 'w', n: n.top, seed: 4 } } },
      ],
      outliers: { generate: { kind: 'jets', process: 'w', n: n.top, seed: 5 } },
      model: { model: 'vae', representation: { kind: 'constituents', n: 20, coords: 'p4', scale: true }, epochs: quick ? 2 : 30, batchSize: 100, beta: 0.1 },
      disco: quick ? [0, 10] : [0, 1, 10, 100],
      oe: ['kl-margin'],
      seeds,
    };
  }
  if (kind === 'bump-hunt') {
    return {
      kind,
      name: 'dijet bump hunt after anomaly-score cuts',
      data: { generate: { kind: 'dijet', n: quick ? 30_000 : 200_000, seed: 1, sqrtS: 13_000, signalFraction: 0.01, signalMass: 3_500 } },
      mass: 'mjj',
      model: {
        model: 'dense-ae',
        // Substructure only: a score built from mjj itself would sculpt the spectrum it is cut on.
        representation: { kind: 'features', scale: true, columns: ['mj1', 'mj2', 'tau21_j1', 'tau21_j2', 'tau32_j1', 'tau32_j2'] },
        widths: [16, 8, 3],
        epochs: quick ? 3 : 20,
        batchSize: 256,
      },
      efficiencies: [1, 0.1, 0.01],
      toys: quick ? 0 : 200,
      seeds: [1],
    };
  }
  if (kind === 'topology') {
    const n = quick ? 3000 : 20_000;
    const manifold = (shape: 'circle' | 'sphere' | 'torus', intrinsicDim: number, dim?: number) => ({
      name: shape,
      intrinsicDim,
      data: { generate: { kind: 'manifold' as const, shape, ...(dim ? { dim } : {}), n, seed: 1, signalFraction: 0.02, signalRadius: 0.3 } },
    });
    return {
      kind,
      name: 'autoencoders below and at the intrinsic dimension',
      manifolds: quick ? [manifold('circle', 1)] : [manifold('circle', 1), manifold('sphere', 2, 3), manifold('torus', 2)],
      latentOffsets: [-1, 0, 1],
      hidden: [64, 32],
      model: { model: 'dense-ae', representation: { kind: 'features', scale: false }, activation: 'elu', epochs: quick ? 5 : 100, batchSize: 128 },
      seeds,
    };
  }
  if (kind === 'representation') {
    const events = (process: 'sm' | 'ato4l' | 'lq-btau' | 'h0-tautau' | 'hplus-taunu', n: number, seed: number): StudyDataset => ({ generate: { kind: 'events', process, n, seed } });
    // Full: a smaller encoder (2 layers, width 64) and 10 contrastive epochs, so that the study runs in about
    // an hour on two CPU cores; the paper's encoder is `repDim: 136, layers: 4` (hours per run on the wasm backend).
    const ns = quick ? { sm: 3000, signal: 500 } : { sm: 20_000, signal: 4_000 };
    return {
      kind,
      name: 'AnomalyCLR: AE on raw objects versus AE on the contrastive representation',
      background: events('sm', ns.sm, 1),
      signals: (['ato4l', 'lq-btau', 'h0-tautau', 'hplus-taunu'] as const).map((p, i) => ({ name: p, data: events(p, ns.signal, 10 + i) })),
      model: quick
        ? { model: 'anomalyclr', epochs: 3, batchSize: 128, clrEpochs: 2, repDim: 32, layers: 1, heads: 4, widths: [32, 16, 8] }
        : { model: 'anomalyclr', epochs: 50, batchSize: 128, clrEpochs: 10, repDim: 64, layers: 2, heads: 4 },
      losses: ['anomclr'],
      repDims: quick ? [32] : [64],
      augmentations: quick ? [['ao', 'aowcpm']] : [['ao', 'aowcpm'], ['ao'], ['aowcpm']],
      // One seed: each contrastive training takes about a quarter of an hour here; add seeds for error bars.
      seeds: [1],
    };
  }
  if (kind === 'train-evaluate') {
    return { kind, name: 'conv AE: QCD-trained, tagging top', background: jets('qcd', n.qcd, 1), signal: [jets('top', n.top, 2)], model, seeds };
  }
  return {
    kind,
    name: 'inverted task: QCD ↔ top with the conv AE',
    a: { name: 'qcd', data: jets('qcd', n.qcd, 1) },
    b: { name: 'top', data: jets('top', n.qcd, 2) },
    model,
    seeds,
  };
}

/** A starting file with '$comment' keys explaining each part (comments are ignored when the file is read). */
export function commentedStudy(kind: StudyKind, quick: boolean): Record<string, unknown> {
  const s = defaultStudy(kind, quick) as Record<string, unknown>;
  const comments: Record<string, string> = {
    kind: `study kind: ${STUDY_KINDS.join(', ')}`,
    data: 'a dataset is {"dataset": "NAME"} (already imported) or {"generate": {...}} (awb generate options without "out")',
    model: 'the model and its training, as `awb train` takes them (model, representation, widths, epochs, batchSize, learningRate, lrSchedule, earlyStopping, …)',
    seeds: 'one training run per seed; results are mean ± standard deviation over the seeds',
  };
  return { $comment: comments, ...s };
}
