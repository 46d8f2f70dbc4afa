// The one shape every importer delivers to the dataset store: a file (or generator) seen as rows that
// are read in slices, in one of three kinds, so that the store, the representations and the models never
// depend on where the data came from.
//
// Kinds and the arrays each must deliver (row-major, float32 values, int8 labels):
//   jets:   p4        [C, 4]  (E, px, py, pz) in GeV per constituent, pT-ordered (hardest first), zero-padded
//   events: particles [19, 4] (pT, η, φ, class) in the ADC2021 slot layout (physics.md §1.2)
//   table:  features  [F]     one value per named column (`columns`)
// and always `labels` [] as int8: a class code ≥ 0, or -1 where the file has no label (black boxes).

export type DatasetKind = 'jets' | 'events' | 'table';

export type StoredDtype = 'float32' | 'int8';
export type StoredArray = Float32Array | Int8Array;

export interface ArraySpec {
  name: string;
  dtype: StoredDtype;
  /** Shape of one row, e.g. [200, 4] for `p4`, [] for `labels`. */
  rowShape: number[];
}

/** Code given to rows whose file carries no label. */
export const UNLABELLED = -1;

export interface DatasetSource {
  /** The file read (or a generator description), as used in error messages. */
  readonly path: string;
  /** The reader: 'toptag' | 'adc2021' | 'lhco' | 'hdf5' | 'csv' | 'npy' | 'root'. */
  readonly format: string;
  readonly kind: DatasetKind;
  readonly rows: number;
  /** Every array `read` returns, `labels` included. */
  readonly arrays: readonly ArraySpec[];
  /** For kind 'table': the name of each feature column, in order. */
  readonly columns?: readonly string[];
  /** Label code (as a string) → name, e.g. { '0': 'qcd', '1': 'top' }; include '-1' when rows are unlabelled. */
  readonly labelNames: Readonly<Record<string, string>>;
  /** Facts about the source worth keeping with the dataset (e.g. the generator stamp, the pandas key). */
  readonly meta?: Readonly<Record<string, unknown>>;
  /**
   * Rows start … start+count−1, one typed array per ArraySpec (length count × product(rowShape)).
   * Must reject values that are not finite, naming the file, the row and the column.
   */
  read(start: number, count: number): Promise<Record<string, StoredArray>>;
  close(): void;
}

/** What a user can tell an importer about a file; each reader uses the fields that make sense for it. */
export interface ImportOptions {
  /** Generic formats: feature columns to import (default: every numeric column except the label column). */
  columns?: string[];
  /** Generic formats: the column holding integer class labels. */
  labelColumn?: string;
  /** A label name for every row of the file (e.g. an ADC2021 signal file: 'ato4l'); 'background'/'sm' mean code 0. */
  label?: string;
  /** HDF5: the pandas key or dataset path to read. */
  key?: string;
  /** ROOT: the TTree to read. */
  tree?: string;
  /** LHCO black boxes: the .masterkey file with one label per line. */
  masterkey?: string;
}

/** Attribute on the root of every file `awb generate` writes: a JSON GeneratorStamp. */
export const GENERATOR_ATTR = 'awb_generator';

export interface GeneratorStamp {
  /** 'jets' | 'events' | 'manifold' | 'phase-space' | 'dijet' */
  generator: string;
  /** Everything the generator was given (process, n, seed, …): enough to make the same file again. */
  spec: Record<string, unknown>;
  /** Label code (as a string) → name for the rows of this file. */
  labelNames: Record<string, string>;
}
