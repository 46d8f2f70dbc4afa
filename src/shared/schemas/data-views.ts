// What the Data screens ask of the engine: a folder listing (the browser host has no native file
// dialog), a look into a file before importing it, and a stored dataset's per-class histograms.
import { z } from 'zod';
import { IMPORT_FORMATS } from './datasets';

export const FileEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['dir', 'file']),
  /** Bytes (0 for folders). */
  size: z.number(),
  /** ISO time of the last change. */
  modified: z.string(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const FileListParams = z.object({ dir: z.string().min(1).optional() });
export const FileListing = z.object({
  dir: z.string(),
  /** The folder above, null at the root. */
  parent: z.string().nullable(),
  /** Folders first, then files, each by name. */
  entries: z.array(FileEntry),
});
export type FileListing = z.infer<typeof FileListing>;

export const InspectParams = z.object({
  path: z.string().min(1),
  format: z.enum(IMPORT_FORMATS).default('auto'),
  key: z.string().min(1).optional(),
  tree: z.string().min(1).optional(),
  columns: z.array(z.string().min(1)).min(1).optional(),
  labelColumn: z.string().min(1).optional(),
  label: z.string().trim().min(1).max(64).optional(),
  masterkey: z.string().min(1).optional(),
});
export type InspectParams = z.input<typeof InspectParams>;

export const PreviewCell = z.union([z.number(), z.string(), z.null()]);
export const FileInspection = z.object({
  path: z.string(),
  /** The reader that would import it (detected, or the one asked for). */
  format: z.string(),
  kind: z.enum(['jets', 'events', 'table']),
  rows: z.number().int(),
  /** Generic files: every column that can be a feature (the label column excluded); null for fixed layouts. */
  columns: z.array(z.string()).nullable(),
  /** The feature columns an import with these options would store (null for fixed layouts). */
  chosenColumns: z.array(z.string()).nullable(),
  /** The label column the reader uses, when it reads labels from a column. */
  labelColumn: z.string().nullable(),
  preview: z.object({ header: z.array(z.string()), rows: z.array(z.array(PreviewCell)) }),
  /** Label name → rows, over the first `countedRows` rows. */
  countsByLabel: z.record(z.string(), z.number().int()),
  countedRows: z.number().int(),
  /** Facts a user should know before importing (where the labels come from, what was left out). */
  notes: z.array(z.string()),
});
export type FileInspection = z.infer<typeof FileInspection>;

/** One observable of a dataset: common bin edges and, per class (label name), the counts in each bin. */
export const ObservableHistogram = z.object({
  key: z.string(),
  /** Axis title with unit, e.g. "jet mass [GeV]". */
  label: z.string(),
  edges: z.array(z.number()),
  counts: z.record(z.string(), z.array(z.number())),
  /** Per class: rows below the first and above the last edge (shown as a note, never dropped silently). */
  underflow: z.record(z.string(), z.number()),
  overflow: z.record(z.string(), z.number()),
});
export type ObservableHistogram = z.infer<typeof ObservableHistogram>;

export const MeanJetImage = z.object({
  label: z.string(),
  rows: z.number().int(),
  /** Pixels per side (η rows × φ columns, row-major as jet-image.ts stores them). */
  pixels: z.number().int(),
  /** Half-width of the η and φ window. */
  range: z.number(),
  values: z.array(z.number()),
});
export type MeanJetImage = z.infer<typeof MeanJetImage>;

export const DatasetSummary = z.object({
  id: z.string(),
  contentHash: z.string(),
  kind: z.enum(['jets', 'events', 'table']),
  /** Rows per class (label name) that went into the histograms. */
  rowsByLabel: z.record(z.string(), z.number().int()),
  histograms: z.array(ObservableHistogram),
  /** Jets only: the mean plain (pT-normalised, no intensity transform) 40 × 40 image of each class. */
  jetImages: z.array(MeanJetImage).nullable(),
  /** Whether this answer came from the dataset's cached summary. */
  cached: z.boolean(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;
