// Datasets: import and generator parameters, stored dataset records and the representations made from them.
import { z } from 'zod';
import { INTENSITY_TRANSFORMS } from '../physics/jet-image';

export const DATASET_KINDS = ['jets', 'events', 'table'] as const;
export const IMPORT_FORMATS = ['auto', 'toptag', 'adc2021', 'lhco', 'hdf5', 'csv', 'npy', 'root'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;

/** Names users type on the command line and see in tables: no path separators, no leading or trailing space. */
export const DatasetName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s/\\][^/\\]*$/, 'a name may not contain / or \\ nor start with a space')
  .refine((s) => s === s.trim(), 'a name may not end with a space');

export const SplitSpec = z
  .object({
    /** Fractions of train, validation, test; they must add up to 1. */
    fractions: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]),
    seed: z.number().int().min(0),
  })
  .refine((s) => Math.abs(s.fractions[0] + s.fractions[1] + s.fractions[2] - 1) < 1e-9, 'split fractions must add up to 1');
export type SplitSpec = z.infer<typeof SplitSpec>;
export const DEFAULT_SPLIT: SplitSpec = { fractions: [0.6, 0.2, 0.2], seed: 0 };

export const DatasetInfo = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(DATASET_KINDS),
  /** The reader that imported it (toptag, adc2021, …). */
  format: z.string(),
  sourcePath: z.string(),
  /** SHA-256 of the source file's bytes. */
  sourceHash: z.string(),
  /** SHA-256 over the stored arrays (names, shapes and data), independent of the source format. */
  contentHash: z.string(),
  rows: z.number().int(),
  /** Array name → full shape, e.g. { p4: [5000, 200, 4], labels: [5000] }. */
  shapes: z.record(z.string(), z.array(z.number().int())),
  /** Label name → rows. */
  countsByLabel: z.record(z.string(), z.number().int()),
  /** Label code → name. */
  labelNames: z.record(z.string(), z.string()),
  /** Feature names for kind 'table'. */
  columns: z.array(z.string()).nullable(),
  splits: z.object({
    fractions: z.tuple([z.number(), z.number(), z.number()]),
    seed: z.number().int(),
    /** Split → label name → rows. */
    counts: z.record(z.string(), z.record(z.string(), z.number().int())),
  }),
  /** What the reader recorded about the source (pandas format, generator stamp, …) and the import options. */
  meta: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type DatasetInfo = z.infer<typeof DatasetInfo>;

export const ImportParams = z.object({
  path: z.string().min(1),
  name: DatasetName,
  format: z.enum(IMPORT_FORMATS).default('auto'),
  /** Import only the first N rows. */
  limit: z.number().int().positive().optional(),
  columns: z.array(z.string().min(1)).min(1).optional(),
  labelColumn: z.string().min(1).optional(),
  label: z.string().trim().min(1).max(64).optional(),
  key: z.string().min(1).optional(),
  tree: z.string().min(1).optional(),
  masterkey: z.string().min(1).optional(),
  split: SplitSpec.default(DEFAULT_SPLIT),
});
export type ImportParams = z.input<typeof ImportParams>;

export const JET_PROCESSES = ['qcd', 'top', 'w'] as const;
export const EVENT_PROCESSES = ['sm', 'ato4l', 'lq-btau', 'h0-tautau', 'hplus-taunu'] as const;
export const MANIFOLD_SHAPES = ['circle', 'sphere', 'torus', 'double-cone'] as const;
const Rows = z.number().int().min(1).max(100_000_000);
const Seed = z.number().int().min(0).max(2 ** 32 - 1);
const Fraction = z.number().min(0).max(1);

/** What `awb generate KIND` makes; `out` is the file written. */
export const GenerateParams = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('jets'), process: z.enum(JET_PROCESSES), n: Rows, seed: Seed, out: z.string().min(1) }),
  z.object({ kind: z.literal('events'), process: z.enum(EVENT_PROCESSES), n: Rows, seed: Seed, out: z.string().min(1) }),
  z.object({
    kind: z.literal('manifold'),
    shape: z.enum(MANIFOLD_SHAPES),
    /** Ambient dimension of the sphere S^(dim−1); other shapes have fixed dimensions. */
    dim: z.number().int().min(2).max(64).optional(),
    n: Rows,
    seed: Seed,
    signalFraction: Fraction.default(0),
    /** Size of the signal patch: points within this ambient distance of the patch centre. */
    signalRadius: z.number().positive().default(0.3),
    out: z.string().min(1),
  }),
  z.object({
    kind: z.literal('phase-space'),
    particles: z.number().int().min(2).max(64),
    sqrtS: z.number().positive(),
    n: Rows,
    seed: Seed,
    signalFraction: Fraction.default(0),
    /** Resonance mass of the signal (particles 0 and 1); default √s / 4. */
    signalMass: z.number().positive().optional(),
    out: z.string().min(1),
  }),
  z.object({
    kind: z.literal('dijet'),
    n: Rows,
    seed: Seed,
    sqrtS: z.number().positive().default(13_000),
    signalFraction: Fraction.default(0.01),
    signalMass: z.number().positive().default(3_500),
    out: z.string().min(1),
  }),
]);
export type GenerateParams = z.input<typeof GenerateParams>;

export const GenerateResult = z.object({ out: z.string(), rows: z.number().int(), sha256: z.string(), countsByLabel: z.record(z.string(), z.number().int()) });
export type GenerateResult = z.infer<typeof GenerateResult>;

/**
 * Model inputs computed from a stored dataset (and cached with it). Jets: images, constituent lists,
 * observables; events: objects (AnomalyCLR), the flat 57 features, observables; tables: the features.
 */
export const RepresentationSpec = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('jet-images'),
    pixels: z.number().int().min(4).max(256).default(40),
    /** Half-width of the η and φ window after preprocessing. */
    range: z.number().positive().max(3.2).default(0.8),
    transform: z.enum(INTENSITY_TRANSFORMS).default('none'),
  }),
  z.object({
    kind: z.literal('constituents'),
    n: z.number().int().min(1).max(700).default(20),
    coords: z.enum(['p4', 'pt-deta-dphi']).default('p4'),
    /** Robust scaling (median/IQR) fitted on the training split; padding stays zero. */
    scale: z.boolean().default(true),
  }),
  z.object({ kind: z.literal('jet-observables') }),
  z.object({ kind: z.literal('event-objects'), sinCos: z.boolean().default(false) }),
  z.object({ kind: z.literal('event-features') }),
  z.object({ kind: z.literal('event-observables') }),
  z.object({
    kind: z.literal('features'),
    scale: z.boolean().default(false),
    /** A subset of the feature columns, in this order (default: all), e.g. substructure without the dijet mass. */
    columns: z.array(z.string().min(1)).min(1).optional(),
  }),
]);
export type RepresentationSpec = z.input<typeof RepresentationSpec>;

export const RepresentationInfo = z.object({
  dataset: z.string(),
  spec: z.record(z.string(), z.unknown()),
  /** The cache folder (data.npy, spec.json). */
  folder: z.string(),
  /** Full shape of data.npy: rows first. */
  shape: z.array(z.number().int()),
  /** Names of the last axis where it has names (observables, features). */
  columns: z.array(z.string()).nullable(),
  /** What was fitted on the training split (scalers), or null. */
  fit: z.unknown(),
  /** Whether the cached copy was used. */
  cached: z.boolean(),
});
export type RepresentationInfo = z.infer<typeof RepresentationInfo>;
