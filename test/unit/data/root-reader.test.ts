// The ROOT reader against files written by write_root.py: a writer made from the ROOT file format description
// with numpy and zlib only (no ROOT, uproot or jsroot), which also dumps every branch's values as float64.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRoot, openRootSource } from '../../../src/main/engine/data/readers/root';

const ENTRIES = 2500;
const FLAT = ['px', 'energy', 'nhits', 'evtid', 'flags', 'charge', 'tag', 'trigger', 'njet'];

let dir: string;
const file = (name: string): string => join(dir, name);
const reference = (name: string): Float64Array => {
  const b = readFileSync(file(name));
  return new Float64Array(b.buffer, b.byteOffset, b.length / 8);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'awb-root-'));
  execFileSync('/usr/bin/python3', [join(__dirname, 'write_root.py'), dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('describeRoot', () => {
  it('lists the trees, their entries and every branch with its type', async () => {
    const d = await describeRoot(file('flat.root'));
    expect(d.trees.map((t) => [t.name, t.entries])).toEqual([
      ['events', ENTRIES],
      ['meta', 10],
    ]);
    expect(d.trees[0].branches).toEqual([
      { name: 'px', type: 'Float_t', numeric: true, flat: true },
      { name: 'energy', type: 'Double_t', numeric: true, flat: true },
      { name: 'nhits', type: 'Int_t', numeric: true, flat: true },
      { name: 'evtid', type: 'Long64_t', numeric: true, flat: true },
      { name: 'flags', type: 'UInt_t', numeric: true, flat: true },
      { name: 'charge', type: 'Short_t', numeric: true, flat: true },
      { name: 'tag', type: 'UChar_t', numeric: true, flat: true },
      { name: 'trigger', type: 'Bool_t', numeric: true, flat: true },
      { name: 'is_signal', type: 'Int_t', numeric: true, flat: true },
      { name: 'p4', type: 'Float_t[4]', numeric: true, flat: false },
      { name: 'njet', type: 'Int_t', numeric: true, flat: true },
      { name: 'jet_pt', type: 'Float_t[njet]', numeric: true, flat: false },
    ]);
  });
});

describe('openRootSource', () => {
  it('reads every value of every flat branch, in chunks that cross basket boundaries', async () => {
    const src = await openRootSource(file('flat.root'), { tree: 'events' });
    expect(src.kind).toBe('table');
    expect(src.format).toBe('root');
    expect(src.rows).toBe(ENTRIES);
    expect(src.columns).toEqual(FLAT);
    expect(src.labelNames).toEqual({ '0': 'background', '1': 'signal' });
    expect(src.arrays).toEqual([
      { name: 'features', dtype: 'float32', rowShape: [FLAT.length] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ]);
    const refs = FLAT.map((b) => reference(`flat.root.events.${b}.f64`));
    const labels = reference('flat.root.events.is_signal.f64');
    // Chunks of 333 end inside baskets of every branch; the last chunk is read first to exercise going back.
    const starts = Array.from({ length: Math.ceil(ENTRIES / 333) }, (_, i) => i * 333).reverse();
    let mismatches = 0;
    for (const start of starts) {
      const count = Math.min(333, ENTRIES - start);
      const got = await src.read(start, count);
      const features = got.features as Float32Array;
      expect(features.length).toBe(count * FLAT.length);
      for (let i = 0; i < count; i++) {
        for (let c = 0; c < FLAT.length; c++) if (features[i * FLAT.length + c] !== Math.fround(refs[c][start + i])) mismatches++;
        if (got.labels[i] !== labels[start + i]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    src.close();
    await expect(src.read(0, 1)).rejects.toThrow(/closed/);
  });

  it('decodes 64-bit integers exactly, negative ones included', async () => {
    const b = readFileSync(file('flat.root.events.evtid.i64'));
    const ids = new BigInt64Array(b.buffer, b.byteOffset, b.length / 8);
    // The values jsroot's own entry reader gets wrong: negative, with a low 32-bit word below 2^31.
    const hard = [...ids.keys()].filter((i) => ids[i] < 0n && (ids[i] & 0xffffffffn) < 0x80000000n);
    expect(hard.length).toBeGreaterThan(100);
    const src = await openRootSource(file('flat.root'), { tree: 'events', columns: ['evtid'] });
    const { features } = await src.read(0, ENTRIES);
    for (const i of hard) expect(features[i]).toBe(Math.fround(Number(ids[i])));
    src.close();
  });

  it('honours chosen columns, an explicit label column and a label for every entry', async () => {
    const src = await openRootSource(file('flat.root'), { tree: 'events', columns: ['tag', 'px'], labelColumn: 'trigger' });
    expect(src.columns).toEqual(['tag', 'px']);
    const { features, labels } = await src.read(1000, 5);
    const tag = reference('flat.root.events.tag.f64');
    const px = reference('flat.root.events.px.f64');
    const trigger = reference('flat.root.events.trigger.f64');
    for (let i = 0; i < 5; i++) {
      expect([features[2 * i], features[2 * i + 1], labels[i]]).toEqual([tag[1000 + i], Math.fround(px[1000 + i]), trigger[1000 + i]]);
    }
    src.close();

    const signal = await openRootSource(file('flat.root'), { tree: 'meta', label: 'ato4l' });
    expect(signal.labelNames).toEqual({ '1': 'ato4l' });
    expect(Array.from((await signal.read(0, 10)).labels)).toEqual(new Array(10).fill(1));
    signal.close();
    const sm = await openRootSource(file('flat.root'), { tree: 'meta', label: 'sm' });
    expect(Array.from((await sm.read(0, 3)).labels)).toEqual([0, 0, 0]);
    expect(Array.from((await sm.read(0, 3)).features)).toEqual([1000, 1001, 1002]);
    sm.close();
  });

  // bad.root is written in the large-file format (64-bit seeks in the header, the directory and every key).
  it('takes a multi-class label branch and stops at the first NaN or infinite value, naming entry and branch', async () => {
    const src = await openRootSource(file('bad.root'));
    expect(src.columns).toEqual(['x', 'y']);
    expect(src.labelNames).toEqual({ '0': 'class 0', '1': 'class 1', '2': 'class 2' });
    const label = reference('bad.root.t.label.f64');
    expect(Array.from((await src.read(0, 700)).labels)).toEqual(Array.from(label.slice(0, 700)));
    await expect(src.read(700, 100)).rejects.toThrow(/ROOT file .*bad\.root: entry 777, branch x is NaN/);
    await expect(src.read(1200, 200)).rejects.toThrow(/entry 1300, branch y is Infinity/);
    await expect(src.read(1400, 200)).rejects.toThrow(/entries 1400\.\.1600 are outside 0\.\.1500/);
    src.close();
  });

  it('refuses bad requests with errors naming the file', async () => {
    const flat = file('flat.root');
    const where = `ROOT file ${flat}`;
    await expect(openRootSource(flat)).rejects.toThrow(`${where}: holds 2 TTrees (events, meta); choose one with the tree option (--tree)`);
    await expect(openRootSource(flat, { tree: 'jets' })).rejects.toThrow(`${where}: no TTree 'jets' (trees: events, meta)`);
    await expect(openRootSource(flat, { tree: 'events', columns: ['p4'] })).rejects.toThrow(
      `${where}: branch 'p4' of TTree 'events' is Float_t[4], not one number per entry`,
    );
    await expect(openRootSource(flat, { tree: 'events', columns: ['px', 'jet_pt'] })).rejects.toThrow(
      `${where}: branch 'jet_pt' of TTree 'events' is Float_t[njet], not one number per entry`,
    );
    await expect(openRootSource(flat, { tree: 'events', columns: ['pt'] })).rejects.toThrow(/no branch 'pt' \(branches: px, energy/);
    await expect(openRootSource(flat, { tree: 'events', labelColumn: 'mass' })).rejects.toThrow(/no branch 'mass'/);
    await expect(openRootSource(flat, { tree: 'events', labelColumn: 'px' })).rejects.toThrow(/label branch 'px': entry 0 is .*not a class code/);
    await expect(openRootSource(flat, { tree: 'events', label: 'x', labelColumn: 'trigger' })).rejects.toThrow(/either/);
    await expect(openRootSource(file('empty.root'))).rejects.toThrow(/empty\.root: TTree 't' has no entries/);
  });

  it('refuses files that are not ROOT files, or truncated or corrupt ones', async () => {
    const text = file('notes.root');
    writeFileSync(text, 'px,energy\n1,2\n');
    await expect(openRootSource(text)).rejects.toThrow(`ROOT file ${text}: not a ROOT file (it does not start with 'root')`);
    const empty = file('zero.root');
    writeFileSync(empty, '');
    await expect(describeRoot(empty)).rejects.toThrow(`ROOT file ${empty}: the file is empty`);
    await expect(openRootSource(file('missing.root'))).rejects.toThrow(/missing\.root: cannot be read/);
    await expect(describeRoot(dir)).rejects.toThrow(`ROOT file ${dir}: cannot be read`);

    const truncated = file('truncated.root');
    copyFileSync(file('flat.root'), truncated);
    truncateSync(truncated, Math.floor(statSync(truncated).size * 0.9));
    await expect(openRootSource(truncated, { tree: 'events' })).rejects.toThrow(/truncated\.root: .*truncated or corrupt/);

    // Break the byte count of the second basket of 'energy'; the key header (26 bytes) precedes its class name.
    const corrupt = file('corrupt.root');
    const bytes = readFileSync(file('flat.root'));
    const name = Buffer.from('\x07TBasket\x06energy', 'latin1');
    const at = bytes.indexOf(name, bytes.indexOf(name) + 1) - 26;
    bytes.writeInt32BE(12, at);
    writeFileSync(corrupt, bytes);
    const src = await openRootSource(corrupt, { tree: 'events', columns: ['energy'] });
    expect((await src.read(0, 777)).features.length).toBe(777);
    await expect(src.read(700, 100)).rejects.toThrow(/corrupt\.root: branch 'energy' of TTree 'events', basket 1 does not match its branch/);
    src.close();
  });
});
