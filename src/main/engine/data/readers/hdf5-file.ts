// Opening HDF5 files with h5wasm for the dataset readers, with failures turned into errors that name the file.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import h5wasm, { Module } from 'h5wasm/node';
import { GENERATOR_ATTR, type GeneratorStamp } from '../source';

export type Hdf5File = InstanceType<typeof h5wasm.File>;

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

// HDF5 looks for its superblock at 0, 512, 1024, 2048, …; checking first gives a clear "not HDF5" error.
function hasHdf5Signature(path: string): boolean {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      if (readSync(fd, buf, 0, 8, at) === 8 && buf.equals(HDF5_SIGNATURE)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * With h5wasm's throwing handler an HDF5 failure arrives as the whole error stack; its innermost entry says
 * what actually went wrong (e.g. "truncated file: eof = …, stored_eof = …").
 */
export function hdf5ErrorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const reasons = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)/g)].map((m) => m[1]);
  return reasons.length ? reasons[reasons.length - 1] : text;
}

/** Runs `fn` with HDF5 errors thrown as exceptions (instead of stderr output and invalid ids), only for its duration. */
export function withHdf5Errors<T>(fn: () => T): T {
  Module.activate_throwing_error_handler();
  try {
    return fn();
  } finally {
    Module.deactivate_throwing_error_handler();
  }
}

/**
 * Opens `path` read-only, refusing unreadable, empty and non-HDF5 files with errors prefixed by `where`
 * (e.g. "Top Tagging file /x.h5"). Call `await h5wasm.ready` first.
 */
export function openHdf5File(path: string, where: string): Hdf5File {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new Error(`${where}: cannot be read (${hdf5ErrorMessage(e)})`);
  }
  if (size === 0) throw new Error(`${where}: the file is empty`);
  if (!hasHdf5Signature(path)) throw new Error(`${where}: not an HDF5 file (no HDF5 signature)`);
  try {
    return withHdf5Errors(() => new h5wasm.File(path, 'r'));
  } catch (e) {
    throw new Error(`${where}: HDF5 library cannot open it, it is probably truncated or corrupt (${hdf5ErrorMessage(e)})`);
  }
}

/**
 * Opens `path`, runs `layout` (which checks the file's layout and returns a reader) with HDF5
 * failures as exceptions, and closes the file again if that fails. Errors start with `where`;
 * an HDF5 failure while reading the layout is reported as a probably truncated or corrupt file.
 */
export function openWithLayout<R>(path: string, where: string, layout: (file: Hdf5File) => R): R {
  const file = openHdf5File(path, where);
  try {
    return withHdf5Errors(() => layout(file));
  } catch (e) {
    file.close();
    const msg = hdf5ErrorMessage(e);
    throw new Error(msg.startsWith(where) ? msg : `${where}: cannot read the layout, it is probably truncated or corrupt (${msg})`);
  }
}

/**
 * The GeneratorStamp that `awb generate` writes on the file's root (source.ts, GENERATOR_ATTR), or null
 * for files from elsewhere. A stamp that is present but unreadable is an error: it would mislabel rows.
 */
export function readGeneratorStamp(file: Hdf5File, where: string): GeneratorStamp | null {
  const attr = file.attrs[GENERATOR_ATTR];
  if (!attr) return null;
  try {
    const stamp = JSON.parse(String(attr.value)) as GeneratorStamp;
    if (typeof stamp.generator !== 'string' || typeof stamp.labelNames !== 'object' || stamp.labelNames === null) throw new Error('fields missing');
    return stamp;
  } catch (e) {
    throw new Error(`${where}: attribute ${GENERATOR_ATTR} is not a valid generator stamp (${(e as Error).message})`);
  }
}
