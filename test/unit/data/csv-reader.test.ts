import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCsv, openCsvSource } from '../../../src/main/engine/data/readers/csv';
import type { DatasetSource, ImportOptions } from '../../../src/main/engine/data/source';
import { fileBuffer } from '../../helpers/files';

// Fixtures are written by pandas and Python's csv module; the references are NumPy's float32 of the same
// values (raw little-endian bytes) and the rows as Python's csv module parses them (JSON).
const MAKE = String.raw`
import csv, json, sys
import numpy as np, pandas as pd
d = sys.argv[1]
rng = np.random.default_rng(7)
n = 2345
df = pd.DataFrame({
    'a': rng.normal(size=n) * 1e3,
    'b': rng.exponential(size=n) * 1e-3,
    'c': rng.integers(0, 50, size=n),
    'is_signal': rng.integers(0, 2, size=n),
})
df.to_csv(f'{d}/pandas.csv', index=False)
df[['a', 'b', 'c']].to_numpy(np.float32).tofile(f'{d}/pandas.f32')
df['is_signal'].to_numpy(np.int8).tofile(f'{d}/pandas.i8')
df.to_csv(f'{d}/semicolon.csv', sep=';', index=False)
df.to_csv(f'{d}/tab.tsv', sep='\t', index=False)
df.to_csv(f'{d}/crlf.csv', index=False, lineterminator='\r\n')
df.to_csv(f'{d}/indexed.csv')  # pandas' default: an unnamed index column first
np.savetxt(f'{d}/spaces.txt', df[['a', 'b', 'c']].to_numpy(), header='a b c', comments='')

# Quoting: names and text with delimiters, doubled quotes and line breaks; CRLF (the csv module's default),
# a BOM, comment lines and blank trailing lines.
rows = [['x, the first', 'say "hi"', 'note', 'label']]
for i in range(25):
    rows.append([repr(i * 0.25 - 2), '%.6e' % (i * 1.5e-7), 'line one\nline, two' if i == 3 else f'n{i}', str(i % 3)])
with open(f'{d}/quoted.csv', 'w', newline='', encoding='utf-8-sig') as f:
    f.write('# produced by a test\r\n')
    w = csv.writer(f, quoting=csv.QUOTE_ALL)
    w.writerow(rows[0])
    w.writerows(rows[1:13])
    f.write('# a comment in the middle\r\n')
    w.writerows(rows[13:])
    f.write('\r\n\r\n')
with open(f'{d}/quoted.csv', newline='', encoding='utf-8-sig') as f:
    parsed = [r for r in csv.reader(f) if r and not r[0].startswith('#')]
json.dump({'rows': parsed, 'values': [[float(np.float32(float(r[0]))), float(np.float32(float(r[1])))] for r in parsed[1:]]},
          open(f'{d}/quoted.json', 'w'))
`;

let dir: string;
const at = (name: string) => join(dir, name);
const opened: DatasetSource[] = [];
async function source(name: string, opts: ImportOptions = {}, tuning?: { indexEvery?: number; chunkBytes?: number }) {
  const s = await openCsvSource(at(name), opts, tuning);
  opened.push(s);
  return s;
}
const bytes = (name: string) => fileBuffer(at(name));
const f32 = (name: string) => new Float32Array(bytes(name));
const i8 = (name: string) => new Int8Array(bytes(name));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csv-reader-'));
  execFileSync('/usr/bin/python3', ['-c', MAKE, dir]);
});
afterAll(() => {
  for (const s of opened) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSV reader: values', () => {
  it('reads what pandas wrote, in slices that cross index marks and read chunks', async () => {
    const ref = f32('pandas.f32');
    const labels = i8('pandas.i8');
    // Index every 100 rows, read 1000 bytes at a time: records straddle chunk boundaries all the time.
    const s = await source('pandas.csv', {}, { indexEvery: 100, chunkBytes: 1000 });
    expect(s.kind).toBe('table');
    expect(s.format).toBe('csv');
    expect(s.rows).toBe(2345);
    expect(s.columns).toEqual(['a', 'b', 'c']);
    expect(s.arrays).toEqual([
      { name: 'features', dtype: 'float32', rowShape: [3] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ]);
    expect(s.labelNames).toEqual({ '0': 'background', '1': 'signal' });
    for (const [start, count] of [[0, 2345], [99, 2], [100, 1], [1234, 567], [2344, 1], [700, 0], [1999, 300]]) {
      const got = await s.read(start, count);
      expect(got.features).toEqual(ref.subarray(start * 3, (start + count) * 3));
      expect(got.labels).toEqual(labels.subarray(start, start + count));
    }
  });

  it('detects semicolons, tabs and whitespace as delimiters, and reads CRLF line ends', async () => {
    const ref = f32('pandas.f32');
    for (const [file, delimiter] of [['semicolon.csv', ';'], ['tab.tsv', '\t'], ['spaces.txt', ' '], ['crlf.csv', ',']]) {
      const d = await describeCsv(at(file));
      expect(d.delimiter).toBe(delimiter);
      expect(d.rows).toBe(2345);
      const s = await source(file);
      expect(s.columns).toEqual(['a', 'b', 'c']);
      expect((await s.read(1000, 345)).features).toEqual(ref.subarray(3000, 4035));
    }
  });

  it('parses quoted fields, doubled quotes, CRLF, a BOM, comments and blank trailing lines as Python does', async () => {
    const ref = JSON.parse(readFileSync(at('quoted.json'), 'utf8')) as { rows: string[][]; values: number[][] };
    const d = await describeCsv(at('quoted.csv'));
    expect(d.columns).toEqual(ref.rows[0]);
    expect(d.delimiter).toBe(',');
    expect(d.rows).toBe(25);
    expect(d.numeric).toEqual([true, true, false, true]);
    expect(d.preview).toEqual(ref.rows.slice(1, 11));
    expect(d.suggested).toEqual({ columns: ['x, the first', 'say "hi"'], labelColumn: 'label' });
    const s = await source('quoted.csv', {}, { indexEvery: 4, chunkBytes: 64 });
    expect(s.labelNames).toEqual({ '0': 'class 0', '1': 'class 1', '2': 'class 2' });
    const got = await s.read(2, 20);
    expect(Array.from(got.features)).toEqual(ref.values.slice(2, 22).flat());
    expect(Array.from(got.labels)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 2) % 3));
  });

  it('reads a header longer than the first read (20,000 semicolon-separated columns)', async () => {
    const names = Array.from({ length: 20000 }, (_, i) => `column_${i}`);
    const row = (r: number) => names.map((_, i) => String(r * 100000 + i)).join(';');
    writeFileSync(at('wide.csv'), [names.join(';'), row(0), row(1)].join('\n'));
    const s = await source('wide.csv', { columns: ['column_19999', 'column_0'] });
    expect(s.rows).toBe(2);
    expect(Array.from((await s.read(1, 1)).features)).toEqual([119999, 100000]);
  });

  it('leaves out the unnamed pandas index column unless asked for it', async () => {
    const d = await describeCsv(at('indexed.csv'));
    expect(d.columns).toEqual(['Unnamed: 0', 'a', 'b', 'c', 'is_signal']);
    expect(d.suggested).toEqual({ columns: ['a', 'b', 'c'], labelColumn: 'is_signal' });
    const s = await source('indexed.csv', { columns: ['Unnamed: 0', 'c'] });
    expect(Array.from((await s.read(10, 2)).features)).toEqual([10, f32('pandas.f32')[32], 11, f32('pandas.f32')[35]]);
  });
});

describe('CSV reader: columns and labels', () => {
  it('takes the columns asked for, in that order, and the label column named', async () => {
    const ref = f32('pandas.f32');
    const s = await source('pandas.csv', { columns: ['c', 'a'], labelColumn: 'c' });
    expect(s.columns).toEqual(['c', 'a']);
    const got = await s.read(5, 3);
    expect(Array.from(got.features)).toEqual([5, 6, 7].flatMap((r) => [ref[r * 3 + 2], ref[r * 3]]));
    expect(Array.from(got.labels)).toEqual([5, 6, 7].map((r) => ref[r * 3 + 2]));
    expect(Object.keys(s.labelNames).length).toBeGreaterThan(2);
  });

  it('labels a whole file from the label option, or leaves it unlabelled', async () => {
    for (const [label, code, names] of [
      ['background', 0, { '0': 'background' }],
      ['SM', 0, { '0': 'SM' }],
      ['ato4l', 1, { '1': 'ato4l' }],
      [undefined, -1, { '-1': 'unlabelled' }],
    ] as const) {
      const s = await source('spaces.txt', label === undefined ? {} : { label });
      expect(s.labelNames).toEqual(names);
      expect(Array.from((await s.read(3, 2)).labels)).toEqual([code, code]);
    }
    // A label column found by name is no feature, even when the whole file gets the user's label.
    const s = await source('pandas.csv', { label: 'qcd' });
    expect(s.columns).toEqual(['a', 'b', 'c']);
    expect(Array.from((await s.read(0, 3)).labels)).toEqual([0, 0, 0]);
  });
});

describe('CSV reader: bad input', () => {
  const write = (name: string, text: string | Buffer) => {
    writeFileSync(at(name), text);
    return at(name);
  };

  it('rejects values that are not finite numbers at read, naming file, line, row and column', async () => {
    const cases: [string, RegExp][] = [
      ['nan', /bad-nan\.csv: line 4 \(row 2\), column 'b' is 'nan', not a finite number/],
      ['inf', /line 4 \(row 2\), column 'b' is 'inf'/],
      ['-Infinity', /column 'b' is '-Infinity'/],
      ['', /bad-\.csv: line 4 \(row 2\), column 'b' is empty/],
      ['1e999', /column 'b': 1e999 is beyond the float32 range/],
      ['1e39', /column 'b': 1e39 is beyond the float32 range/],
      ['-3.4028236e38', /column 'b': -3\.4028236e38 is beyond the float32 range/],
      ['0x10', /column 'b' is '0x10'/],
    ];
    for (const [cell, message] of cases) {
      const path = write(`bad-${cell}.csv`, `a,b\n1,2\n3,4\n5,${cell}\n7,8\n`);
      const s = await source(`bad-${cell}.csv`, { columns: ['a', 'b'] });
      expect(Array.from((await s.read(0, 2)).features)).toEqual([1, 2, 3, 4]);
      await expect(s.read(1, 3)).rejects.toThrow(message);
      expect(path).toContain(dir);
    }
  });

  it('accepts the largest float32 as NumPy prints it', async () => {
    write('max.csv', 'a\n3.4028235e+38\n-3.4028235e38\n');
    const s = await source('max.csv');
    expect(Array.from((await s.read(0, 2)).features)).toEqual([3.4028234663852886e38, -3.4028234663852886e38]);
  });

  it('rejects a ragged row, a bad label and unknown columns when opening', async () => {
    write('ragged.csv', 'a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,3,4,5\n');
    await expect(source('ragged.csv')).rejects.toThrow(/ragged\.csv: line 3 has 5 fields, the header has 6/);
    write('label.csv', 'x,label\n1,0\n2,1\n3,0.5\n');
    await expect(source('label.csv')).rejects.toThrow(/label\.csv: line 4 \(row 2\), label column 'label' holds '0\.5', not an integer/);
    write('label2.csv', 'x,label\n1,0\n2,signal\n');
    await expect(source('label2.csv')).rejects.toThrow(/label2\.csv: line 3 \(row 1\), label column 'label' holds 'signal'/);
    write('label3.csv', 'x,label\n1,0\n2,200\n');
    await expect(source('label3.csv')).rejects.toThrow(/holds '200', not an integer in -1\.\.127/);
    await expect(source('pandas.csv', { columns: ['a', 'mass', 'pt'] })).rejects.toThrow(/pandas\.csv: no column 'mass', 'pt' \(columns: a, b, c, is_signal\)/);
    await expect(source('pandas.csv', { labelColumn: 'truth' })).rejects.toThrow(/pandas\.csv: no label column 'truth'/);
    write('dup.csv', 'a,b,a\n1,2,3\n');
    await expect(source('dup.csv')).rejects.toThrow(/dup\.csv: column name 'a' appears twice \(columns 1 and 3\)/);
    write('text.csv', 'name,comment\nx,y\n');
    await expect(source('text.csv')).rejects.toThrow(/text\.csv: no numeric column/);
  });

  it('rejects empty files, header-only files, binary data and broken quotes', async () => {
    write('empty.csv', '');
    await expect(describeCsv(at('empty.csv'))).rejects.toThrow(/empty\.csv: the file is empty \(no header row\)/);
    write('comments.csv', '# nothing here\n\n');
    await expect(source('comments.csv')).rejects.toThrow(/comments\.csv: the file is empty/);
    write('header.csv', 'a,b,c\r\n\r\n');
    await expect(source('header.csv')).rejects.toThrow(/header\.csv: has a header but no data rows/);
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    write('garbage.csv', garbage);
    await expect(describeCsv(at('garbage.csv'))).rejects.toThrow(/garbage\.csv: not a text file/);
    write('open-quote.csv', 'a,b\n1,"2\n3,4\n');
    await expect(source('open-quote.csv')).rejects.toThrow(/open-quote\.csv: line 2: a quoted field is never closed/);
    write('after-quote.csv', 'a,b\n1,2\n"3"x,4\n');
    await expect(source('after-quote.csv')).rejects.toThrow(/after-quote\.csv: line 3: a closing quote is followed by text/);
    await expect(source('missing.csv')).rejects.toThrow(/missing\.csv: cannot open/);
  });

  it('rejects reads outside the file', async () => {
    const s = await source('pandas.csv');
    await expect(s.read(2340, 6)).rejects.toThrow(/pandas\.csv: rows 2340\.\.2346 are outside 0\.\.2345/);
  });
});
