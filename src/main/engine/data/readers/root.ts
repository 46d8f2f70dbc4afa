// Reader for ROOT files (CERN ROOT): a TTree whose branches each hold one number per entry, imported as a
// 'table' source. jsroot parses the file structure (header, keys, streamer infos, the TTree object); the
// baskets of the chosen branches are read and decoded here, a few at a time, so that memory stays bounded
// whatever the tree size, and so that 64-bit integers are decoded exactly (jsroot's per-entry reader gets
// some negative Long64_t values wrong).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
// @ts-expect-error jsroot ships no types for jsroot/io; the objects used are typed by the Js* interfaces below.
import { FileProxy, R__unzip, TBuffer, openFile } from 'jsroot/io';
import { defaultLabelColumn, fileLabel, labelCode, labelNamesOf } from '../labels';
import type { DatasetSource, ImportOptions } from '../source';

export interface RootBranchDescription {
  name: string;
  /** C type of one value, e.g. 'Float_t', 'Float_t[4]' (fixed array), 'Float_t[n]' (jagged), 'vector<float>'. */
  type: string;
  /** Every leaf of the branch holds numbers (integers, floating point or booleans). */
  numeric: boolean;
  /** Exactly one number per entry: the branches a table can be built from. */
  flat: boolean;
}

export interface RootDescription {
  trees: { name: string; entries: number; branches: RootBranchDescription[] }[];
}

const TREE_CLASSES = new Set(['TTree', 'TNtuple', 'TNtupleD']);
/** Entries decoded per step when scanning a whole label branch. */
const SCAN_STEP = 1 << 16;

/** Per numeric leaf class: C types (signed, unsigned), bytes per value, and the big-endian decoder. */
const LEAF_TYPES: Record<string, { types: [string, string]; size: number; get: (v: DataView, at: number, unsigned: boolean) => number }> = {
  TLeafF: { types: ['Float_t', 'Float_t'], size: 4, get: (v, at) => v.getFloat32(at) },
  TLeafD: { types: ['Double_t', 'Double_t'], size: 8, get: (v, at) => v.getFloat64(at) },
  TLeafO: { types: ['Bool_t', 'Bool_t'], size: 1, get: (v, at) => (v.getUint8(at) ? 1 : 0) },
  TLeafB: { types: ['Char_t', 'UChar_t'], size: 1, get: (v, at, u) => (u ? v.getUint8(at) : v.getInt8(at)) },
  TLeafS: { types: ['Short_t', 'UShort_t'], size: 2, get: (v, at, u) => (u ? v.getUint16(at) : v.getInt16(at)) },
  TLeafI: { types: ['Int_t', 'UInt_t'], size: 4, get: (v, at, u) => (u ? v.getUint32(at) : v.getInt32(at)) },
  TLeafL: { types: ['Long64_t', 'ULong64_t'], size: 8, get: (v, at, u) => Number(u ? v.getBigUint64(at) : v.getBigInt64(at)) },
  TLeafG: { types: ['Long_t', 'ULong_t'], size: 8, get: (v, at, u) => Number(u ? v.getBigUint64(at) : v.getBigInt64(at)) },
};

// The jsroot objects this reader touches (jsroot ships no types for its io module).
interface JsList<T> {
  arr: T[];
}
interface JsLeaf {
  _typename: string;
  fName: string;
  fLen: number;
  fLenType: number;
  fIsUnsigned: boolean;
  fLeafCount: JsLeaf | null;
}
interface JsBranch {
  _typename: string;
  fName: string;
  fClassName?: string;
  fEntries: number;
  fWriteBasket: number;
  fBranches: JsList<JsBranch>;
  fLeaves: JsList<JsLeaf>;
  fBasketBytes: ArrayLike<number>;
  fBasketEntry: ArrayLike<number>;
  fBasketSeek: ArrayLike<number>;
}
interface JsTree {
  fEntries: number | bigint;
  fBranches: JsList<JsBranch>;
}
interface JsKey {
  fClassName: string;
  fName: string;
  fCycle: number;
}
interface JsFile {
  fKeys: JsKey[];
  readObject(name: string): Promise<unknown>;
  delete(): void;
}
interface JsBasket {
  fNbytes: number;
  fObjlen: number;
  fKeylen: number;
  fNevBuf: number;
  fNevBufSize: number;
}

/** jsroot reads the file through this proxy, so that the descriptor is ours to close. */
class LocalFile extends FileProxy {
  constructor(
    private readonly path: string,
    readonly fd: number,
    readonly size: number,
  ) {
    super();
  }
  async openFile(): Promise<boolean> {
    return true;
  }
  getFileName(): string {
    return this.path;
  }
  getFileSize(): number {
    return this.size;
  }
  // jsroot asks for a few hundred bytes past small records; give what the file has and let the parser judge.
  async readBuffer(pos: number, len: number): Promise<DataView> {
    if (pos < 0 || pos >= this.size) throw new Error(`offset ${pos} lies beyond the end of the file (${this.size} bytes)`);
    return this.read(pos, Math.min(len, this.size - pos));
  }
  read(pos: number, len: number): DataView {
    const buf = Buffer.alloc(len);
    const got = readSync(this.fd, buf, 0, len, pos);
    return new DataView(buf.buffer, buf.byteOffset, got);
  }
  closeFile(): void {
    closeSync(this.fd);
  }
}

interface OpenRoot {
  file: JsFile;
  proxy: LocalFile;
  where: string;
  /** Tree name → highest cycle. */
  trees: Map<string, number>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function openRoot(path: string): Promise<OpenRoot> {
  const where = `ROOT file ${path}`;
  let proxy: LocalFile;
  let magic: string;
  try {
    const fd = openSync(path, 'r');
    proxy = new LocalFile(path, fd, fstatSync(fd).size);
  } catch (e) {
    throw new Error(`${where}: cannot be read (${message(e)})`);
  }
  try {
    const head = proxy.read(0, Math.min(4, proxy.size));
    magic = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  } catch (e) {
    proxy.closeFile();
    throw new Error(`${where}: cannot be read (${message(e)})`);
  }
  if (magic !== 'root') {
    proxy.closeFile();
    throw new Error(`${where}: ${proxy.size === 0 ? 'the file is empty' : "not a ROOT file (it does not start with 'root')"}`);
  }
  let file: JsFile;
  try {
    file = (await openFile(proxy)) as JsFile;
  } catch (e) {
    proxy.closeFile();
    throw new Error(`${where}: cannot read the file structure, it is probably truncated or corrupt (${message(e)})`);
  }
  const trees = new Map<string, number>();
  for (const key of file.fKeys) {
    if (TREE_CLASSES.has(key.fClassName) && (trees.get(key.fName) ?? -1) < key.fCycle) trees.set(key.fName, key.fCycle);
  }
  return { file, proxy, where, trees };
}

async function readTree(root: OpenRoot, name: string): Promise<JsTree> {
  let tree: JsTree;
  try {
    tree = (await root.file.readObject(`${name};${root.trees.get(name)}`)) as JsTree;
  } catch (e) {
    throw new Error(`${root.where}: cannot read TTree '${name}', the file is probably truncated or corrupt (${message(e)})`);
  }
  if (!tree?.fBranches?.arr) throw new Error(`${root.where}: cannot read TTree '${name}', the file is probably truncated or corrupt`);
  return tree;
}

function describeBranch(branch: JsBranch): RootBranchDescription {
  const leaves = branch.fLeaves?.arr ?? [];
  const leafType = (leaf: JsLeaf): string => {
    const known = LEAF_TYPES[leaf._typename];
    const base = known ? known.types[leaf.fIsUnsigned ? 1 : 0] : leaf._typename;
    if (leaf.fLeafCount) return `${base}[${leaf.fLeafCount.fName}]`;
    return leaf.fLen > 1 ? `${base}[${leaf.fLen}]` : base;
  };
  if (branch._typename !== 'TBranch') {
    return { name: branch.fName, type: branch.fClassName || branch._typename, numeric: false, flat: false };
  }
  const numeric = leaves.length > 0 && leaves.every((l) => l._typename in LEAF_TYPES);
  const leaf = leaves[0];
  const flat =
    numeric &&
    leaves.length === 1 &&
    !(branch.fBranches?.arr.length > 0) &&
    leaf.fLen === 1 &&
    !leaf.fLeafCount &&
    leaf.fLenType === LEAF_TYPES[leaf._typename].size;
  return { name: branch.fName, type: leaves.map(leafType).join(':') || 'no leaves', numeric, flat };
}

/** Lists the TTrees at the top of a ROOT file with their entries and branches. */
export async function describeRoot(path: string): Promise<RootDescription> {
  const root = await openRoot(path);
  try {
    const trees: RootDescription['trees'] = [];
    for (const name of root.trees.keys()) {
      const tree = await readTree(root, name);
      trees.push({ name, entries: Number(tree.fEntries), branches: tree.fBranches.arr.map(describeBranch) });
    }
    return { trees };
  } finally {
    root.file.delete();
  }
}

/** Reads the values of one flat branch, basket by basket, keeping the last decoded basket. */
class BranchReader {
  private cached = -1;
  private values = new Float64Array(0);
  private readonly baskets: number;

  constructor(
    private readonly root: OpenRoot,
    private readonly branch: JsBranch,
    entries: number,
    private readonly what: string,
  ) {
    this.baskets = branch.fWriteBasket;
    const covered = this.baskets > 0 ? Number(branch.fBasketEntry[this.baskets]) || Number(branch.fEntries) : 0;
    if (Number(branch.fEntries) < entries || covered < entries) {
      throw new Error(`${what}: holds ${Math.min(covered, Number(branch.fEntries))} entries on disk, the tree ${entries} (baskets kept inside the TTree object are not supported)`);
    }
  }

  private basketOf(entry: number): number {
    let lo = 0;
    let hi = this.baskets - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (Number(this.branch.fBasketEntry[mid]) <= entry) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Copies entries start … start+count−1 into out[at], out[at+stride], … */
  async read(start: number, count: number, out: Float64Array, at = 0, stride = 1): Promise<void> {
    for (let e = start; e < start + count; ) {
      const k = this.basketOf(e);
      if (k !== this.cached) await this.load(k);
      const first = Number(this.branch.fBasketEntry[k]);
      const stop = Math.min(start + count, first + this.values.length);
      for (; e < stop; e++) out[at + (e - start) * stride] = this.values[e - first];
    }
  }

  private async load(k: number): Promise<void> {
    const seek = Number(this.branch.fBasketSeek[k]);
    const nbytes = Number(this.branch.fBasketBytes[k]);
    const n = Number(this.branch.fBasketEntry[k + 1] ?? this.branch.fEntries) - Number(this.branch.fBasketEntry[k]);
    const where = `${this.what}, basket ${k}`;
    if (seek + nbytes > this.root.proxy.size) {
      throw new Error(`${where} lies beyond the end of the file (bytes ${seek}..${seek + nbytes} of ${this.root.proxy.size}): the file is truncated`);
    }
    const blob = this.root.proxy.read(seek, nbytes);
    let basket: JsBasket;
    try {
      basket = new TBuffer(blob, 0, this.root.file).classStreamer({}, 'TBasket') as JsBasket;
    } catch (e) {
      throw new Error(`${where} cannot be parsed, the file is probably corrupt (${message(e)})`);
    }
    const leaf = this.branch.fLeaves.arr[0];
    const { size, get } = LEAF_TYPES[leaf._typename];
    if (basket.fNbytes !== nbytes || basket.fNevBuf !== n || basket.fObjlen < n * size) {
      throw new Error(`${where} does not match its branch (${basket.fNevBuf} entries in ${basket.fNbytes} bytes, expected ${n} entries in ${nbytes} bytes): the file is probably corrupt`);
    }
    let data: DataView | null = blob;
    let offset = basket.fKeylen;
    if (basket.fKeylen + basket.fObjlen !== basket.fNbytes) {
      try {
        data = await R__unzip(blob, basket.fObjlen, true, basket.fKeylen);
      } catch (e) {
        throw new Error(`${where} cannot be decompressed (${message(e)})`);
      }
      if (!data) throw new Error(`${where} cannot be decompressed: unknown compression or corrupt data`);
      offset = 0;
    }
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = get(data, offset + i * size, leaf.fIsUnsigned);
    this.values = values;
    this.cached = k;
  }
}

function pickTree(root: OpenRoot, wanted: string | undefined): string {
  const names = [...root.trees.keys()];
  const list = names.length ? names.join(', ') : 'none';
  if (wanted !== undefined) {
    if (!root.trees.has(wanted)) throw new Error(`${root.where}: no TTree '${wanted}' (trees: ${list})`);
    return wanted;
  }
  if (names.length !== 1) throw new Error(`${root.where}: ${names.length ? `holds ${names.length} TTrees (${list}); choose one with the tree option (--tree)` : 'holds no TTree'}`);
  return names[0];
}

function flatBranch(described: RootBranchDescription[], name: string, tree: string, where: string): RootBranchDescription {
  const found = described.find((b) => b.name === name);
  if (!found) throw new Error(`${where}: TTree '${tree}' has no branch '${name}' (branches: ${described.map((b) => b.name).join(', ')})`);
  if (!found.flat) throw new Error(`${where}: branch '${name}' of TTree '${tree}' is ${found.type}, not one number per entry`);
  return found;
}

/** Scans the label branch once: every value must be a class code (0…127) or -1 (unlabelled). */
async function scanLabels(reader: BranchReader, entries: number, what: string): Promise<Set<number>> {
  const codes = new Set<number>();
  const buf = new Float64Array(Math.min(SCAN_STEP, entries));
  for (let start = 0; start < entries; start += SCAN_STEP) {
    const n = Math.min(SCAN_STEP, entries - start);
    await reader.read(start, n, buf);
    for (let i = 0; i < n; i++) {
      const code = labelCode(buf[i]);
      if (code === null) throw new Error(`${what}: entry ${start + i} is ${buf[i]}, not a class code (an integer 0…127, or -1)`);
      codes.add(code);
    }
  }
  return codes;
}

/**
 * Opens one TTree of a ROOT file as a 'table' source: `opts.columns` (default: every flat numeric branch
 * except the label) as float32 features, labels from `opts.labelColumn` (default: a flat branch named as in
 * LABEL_COLUMN_NAMES), else `opts.label` for every entry, else unlabelled.
 */
export async function openRootSource(path: string, opts: ImportOptions = {}): Promise<DatasetSource> {
  const root = await openRoot(path);
  try {
    return await buildSource(root, path, opts);
  } catch (e) {
    root.file.delete();
    throw e;
  }
}

async function buildSource(root: OpenRoot, path: string, opts: ImportOptions): Promise<DatasetSource> {
  const { where } = root;
  if (opts.label !== undefined && opts.labelColumn !== undefined) {
    throw new Error(`${where}: give either a label column or a label for every entry, not both`);
  }
  const treeName = pickTree(root, opts.tree);
  const tree = await readTree(root, treeName);
  const entries = Number(tree.fEntries);
  if (!(entries > 0)) throw new Error(`${where}: TTree '${treeName}' has no entries`);
  const described = tree.fBranches.arr.map(describeBranch);
  const branchOf = (name: string): JsBranch => tree.fBranches.arr.find((b) => b.fName === name)!;
  const reader = (name: string): BranchReader => new BranchReader(root, branchOf(name), entries, `${where}: branch '${name}' of TTree '${treeName}'`);

  const labelName =
    opts.labelColumn ?? (opts.label === undefined ? defaultLabelColumn(described.filter((b) => b.flat).map((b) => b.name)) : undefined);
  if (labelName !== undefined) flatBranch(described, labelName, treeName, where);
  const columns = opts.columns ?? described.filter((b) => b.flat && b.name !== labelName).map((b) => b.name);
  if (columns.length === 0) throw new Error(`${where}: TTree '${treeName}' has no flat numeric branch to import`);
  columns.forEach((c) => flatBranch(described, c, treeName, where));
  const readers = columns.map(reader);

  const labelReader = labelName === undefined ? null : reader(labelName);
  // Without a label branch: the user's label for every entry, else unlabelled.
  const whole = fileLabel(opts.label);
  const labelNames = labelReader
    ? labelNamesOf(await scanLabels(labelReader, entries, `${where}: label branch '${labelName}'`))
    : whole.labelNames;

  let open = true;
  const F = columns.length;
  return {
    path,
    format: 'root',
    kind: 'table',
    rows: entries,
    arrays: [
      { name: 'features', dtype: 'float32', rowShape: [F] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ],
    columns,
    labelNames,
    meta: { tree: treeName, ...(labelName === undefined ? {} : { labelColumn: labelName }) },
    async read(start, count) {
      if (!open) throw new Error(`${where}: source is closed`);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > entries) {
        throw new Error(`${where}: entries ${start}..${start + count} are outside 0..${entries}`);
      }
      const values = new Float64Array(count * F);
      for (let c = 0; c < F; c++) await readers[c].read(start, count, values, c, F);
      const features = Float32Array.from(values);
      for (let i = 0; i < features.length; i++) {
        if (!Number.isFinite(features[i])) {
          const entry = start + Math.floor(i / F);
          const v = values[i];
          throw new Error(`${where}: entry ${entry}, branch ${columns[i % F]} is ${v}${Number.isFinite(v) ? ' (too large for float32)' : ''}`);
        }
      }
      const labels = new Int8Array(count).fill(whole.code);
      if (labelReader) {
        const raw = new Float64Array(count);
        await labelReader.read(start, count, raw);
        labels.set(raw);
      }
      return { features, labels };
    },
    close() {
      if (open) root.file.delete();
      open = false;
    },
  };
}
