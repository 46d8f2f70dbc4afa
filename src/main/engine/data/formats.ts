// Which reader reads a file: the one the user names, or (format 'auto') the one its extension and
// contents point to. Every reader delivers the same DatasetSource (source.ts).
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { ImportFormat } from '@shared/api';
import { openAdc2021Source } from './readers/adc2021';
import { openCsvSource } from './readers/csv';
import { openWithLayout } from './readers/hdf5-file';
import { openHdf5Source } from './readers/hdf5-generic';
import { looksLikeLhco, openLhcoSource } from './readers/lhco';
import { openNpySource } from './readers/npy-source';
import { openPandasFrame, pandasKeys } from './readers/pandas-store';
import { openRootSource } from './readers/root';
import { openTopTaggingSource, TOPTAG_COLUMNS } from './readers/toptag';
import type { DatasetSource, ImportOptions } from './source';

type Format = Exclude<ImportFormat, 'auto'>;

const OPENERS: Record<Format, (path: string, opts: ImportOptions) => Promise<DatasetSource>> = {
  toptag: openTopTaggingSource,
  adc2021: openAdc2021Source,
  lhco: openLhcoSource,
  hdf5: openHdf5Source,
  csv: openCsvSource,
  npy: openNpySource,
  root: openRootSource,
};

const SIGNATURES: [Format | 'hdf5-any', Uint8Array][] = [
  ['hdf5-any', Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['npy', Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])], // \x93NUMPY
  ['npy', Uint8Array.from([0x50, 0x4b, 0x03, 0x04])], // a zip: .npz
  ['root', new TextEncoder().encode('root')],
];

const BY_EXTENSION: Record<string, Format | 'hdf5-any'> = {
  '.h5': 'hdf5-any',
  '.hdf5': 'hdf5-any',
  '.hdf': 'hdf5-any',
  '.he5': 'hdf5-any',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.npy': 'npy',
  '.npz': 'npy',
  '.root': 'root',
};

function sniff(path: string): Format | 'hdf5-any' | null {
  const head = new Uint8Array(8);
  const fd = openSync(path, 'r');
  let got: number;
  try {
    got = readSync(fd, head, 0, 8, 0);
  } finally {
    closeSync(fd);
  }
  const hit = SIGNATURES.find(([, sig]) => got >= sig.length && sig.every((b, i) => head[i] === b));
  return hit ? hit[0] : null;
}

/** Which of the HDF5 layouts a file has: ADC2021 'Particles', the Top Tagging store, LHCO hadrons, or anything else. */
async function hdf5Layout(path: string): Promise<Format> {
  await h5wasm.ready;
  const where = `HDF5 file ${path}`;
  // openWithLayout closes the file itself when the layout check throws.
  const { format, file } = openWithLayout(path, where, (f) => {
    if (f.keys().includes('Particles')) return { format: 'adc2021' as const, file: f };
    if (pandasKeys(f).includes('table') && openPandasFrame(f, 'table', where).columns.length === TOPTAG_COLUMNS.length) return { format: 'toptag' as const, file: f };
    return { format: looksLikeLhco(f) ? ('lhco' as const) : ('hdf5' as const), file: f };
  });
  file.close();
  return format;
}

/** The reader for `path`: `format` when given, else detected from the extension, then the contents. */
export async function detectFormat(path: string, format: ImportFormat = 'auto'): Promise<Format> {
  if (format !== 'auto') return format;
  const guess = sniff(path) ?? BY_EXTENSION[extname(path).toLowerCase()];
  if (!guess) {
    throw new Error(`${path}: cannot tell the format (not HDF5, NumPy or ROOT, and the extension is not .csv/.tsv/.txt); give --format ${Object.keys(OPENERS).join('|')}`);
  }
  return guess === 'hdf5-any' ? hdf5Layout(path) : guess;
}

export async function openSource(path: string, format: ImportFormat, opts: ImportOptions): Promise<DatasetSource> {
  return OPENERS[await detectFormat(path, format)](path, opts);
}
