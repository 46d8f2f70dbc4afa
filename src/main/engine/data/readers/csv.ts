// Reader for CSV (and tab-, semicolon- or whitespace-separated) tables with a header row, as kind 'table'.
// Files may be many GB: opening makes one streaming pass that checks every row's field count, validates the
// labels and records the byte offset of every K-th row; `read` then seeks to the nearest recorded row and
// parses only the rows asked for. Fields follow RFC 4180 (quotes, doubled quotes, quoted line breaks).
import { open, type FileHandle } from 'node:fs/promises';
import { defaultLabelColumn, fileLabel, labelCode, labelNamesOf } from '../labels';
import type { ArraySpec, DatasetSource, ImportOptions } from '../source';

export interface CsvDescription {
  columns: string[];
  /** Per column: every value among the first rows is a number (or a missing-value token such as nan). */
  numeric: boolean[];
  rows: number;
  /** The first 10 data rows, as text. */
  preview: string[][];
  /** ',' ';' '\t', or ' ' for runs of whitespace. */
  delimiter: string;
  suggested: { columns: string[]; labelColumn?: string };
}

/** Knobs for tests and tuning: rows between index entries, and bytes per file read. */
export interface CsvTuning {
  indexEvery?: number;
  chunkBytes?: number;
}

const SAMPLE_ROWS = 1000;
const PREVIEW_ROWS = 10;
const INDEX_EVERY = 4096;
const CHUNK_BYTES = 1 << 20;
const SNIFF_RECORDS = 20;

// ---------------------------------------------------------------------------------------------------------
// Splitting bytes into records. Works on bytes: delimiters, quotes and line ends are ASCII, so they never
// occur inside a UTF-8 multi-byte sequence, and byte offsets are what the row index needs.

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const SPACE = 0x20;
const TAB = 0x09;

/** Field boundaries of the last record split; count 0 means a comment or blank line. */
interface Fields {
  count: number;
  start: number[];
  end: number[];
  quoted: boolean[];
  /** Line breaks inside the record, its terminator included. */
  newlines: number;
}

const INCOMPLETE = -1;
const UNTERMINATED = -2;
const AFTER_QUOTE = -3;

const newFields = (): Fields => ({ count: 0, start: [], end: [], quoted: [], newlines: 0 });

function push(f: Fields, start: number, end: number, quoted: boolean): void {
  f.start[f.count] = start;
  f.end[f.count] = end;
  f.quoted[f.count] = quoted;
  f.count++;
}

const isBlank = (c: number) => c === SPACE || c === TAB;

/**
 * Splits the record starting at `pos` into `f`; returns the offset after its terminator, INCOMPLETE when
 * `buf` ends inside it and more bytes may follow (`final` false), or UNTERMINATED / AFTER_QUOTE for a
 * malformed quoted field. Delimiter SPACE means runs of spaces and tabs.
 */
function splitRecord(buf: Uint8Array, pos: number, final: boolean, delim: number, f: Fields): number {
  const end = buf.length;
  const ws = delim === SPACE;
  f.count = 0;
  f.newlines = 0;
  let p = pos;
  if (p < end && buf[p] === HASH) {
    const lf = buf.indexOf(LF, p);
    if (lf < 0) return final ? end : INCOMPLETE;
    f.newlines = 1;
    return lf + 1;
  }
  if (ws) while (p < end && isBlank(buf[p])) p++;
  for (;;) {
    if (p < end && buf[p] === QUOTE) {
      let q = p + 1;
      for (;;) {
        if (q >= end) return final ? UNTERMINATED : INCOMPLETE;
        if (buf[q] === QUOTE) {
          if (q + 1 >= end && !final) return INCOMPLETE;
          if (buf[q + 1] !== QUOTE) break;
          q += 2;
          continue;
        }
        if (buf[q] === LF) f.newlines++;
        q++;
      }
      push(f, p + 1, q, true);
      p = q + 1;
    } else {
      let q = p;
      while (q < end && buf[q] !== delim && buf[q] !== LF && !(ws && buf[q] === TAB)) q++;
      if (q >= end && !final) return INCOMPLETE;
      push(f, p, q > p && buf[q - 1] === CR ? q - 1 : q, false);
      p = q;
    }
    if (ws) while (p < end && isBlank(buf[p])) p++;
    if (p >= end) {
      if (!final) return INCOMPLETE;
      break;
    }
    if (buf[p] === LF) {
      f.newlines++;
      p++;
      break;
    }
    if (buf[p] === CR && (p + 1 < end ? buf[p + 1] === LF : final)) {
      if (p + 1 < end) f.newlines++;
      p = Math.min(p + 2, end);
      break;
    }
    if (buf[p] === CR && p + 1 >= end) return INCOMPLETE;
    if (ws) continue;
    if (buf[p] !== delim) return AFTER_QUOTE;
    p++;
    if (p >= end) {
      if (!final) return INCOMPLETE;
      push(f, p, p, false); // a delimiter as the file's last byte: one last, empty field
      break;
    }
  }
  // A blank line is one empty unquoted field: skipped like a comment (pandas' skip_blank_lines).
  if (f.count === 1 && !f.quoted[0] && f.start[0] === f.end[0]) f.count = 0;
  return p;
}

function fieldText(buf: Buffer, f: Fields, i: number): string {
  const text = buf.toString('utf8', f.start[i], f.end[i]);
  return f.quoted[i] ? text.replaceAll('""', '"') : text.trim();
}

// ---------------------------------------------------------------------------------------------------------
// Streaming the file

interface Position {
  offset: number;
  /** 1-based line number of the byte at `offset`. */
  line: number;
}

/** One record as the scan hands it out: its fields, and where it starts. */
interface RowView {
  buf: Buffer;
  fields: Fields;
  line: number;
  offset: number;
}

function syntaxError(path: string, line: number, code: number): never {
  const what = code === UNTERMINATED ? 'a quoted field is never closed' : 'a closing quote is followed by text, not a delimiter';
  throw new Error(`CSV file ${path}: line ${line}: ${what}`);
}

/**
 * Calls `onRecord` for every non-blank, non-comment record from `from` on, until it returns false or the
 * file ends. Reads `chunkBytes` at a time; a record cut by a chunk boundary is carried into the next read.
 */
async function scan(
  file: FileHandle,
  path: string,
  delim: number,
  from: Position,
  chunkBytes: number,
  onRecord: (row: RowView) => boolean,
): Promise<void> {
  const f = newFields();
  let carry = Buffer.alloc(0);
  let base = from.offset; // file offset of carry[0]
  let line = from.line;
  for (let eof = false; !eof; ) {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    const { bytesRead } = await file.read(chunk, 0, chunkBytes, base + carry.length);
    eof = bytesRead === 0;
    const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let pos = 0;
    while (pos < buf.length) {
      const next = splitRecord(buf, pos, eof, delim, f);
      if (next === INCOMPLETE) break;
      if (next < 0) syntaxError(path, line, next);
      if (f.count > 0 && !onRecord({ buf, fields: f, line, offset: base + pos })) return;
      line += f.newlines;
      pos = next;
    }
    carry = buf.subarray(pos);
    base += pos;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Sniffing: delimiter and header

interface Layout {
  delimiter: string;
  header: string[];
  /** Where the first data row may start. */
  data: Position;
}

const DELIMITERS = [',', ';', '\t'];

/** Field counts of the first records of `sample` split with `delim`, or null when it cannot be split. */
function fieldCounts(sample: Uint8Array, final: boolean, delim: number): number[] | null {
  const f = newFields();
  const counts: number[] = [];
  for (let pos = 0; pos < sample.length && counts.length < SNIFF_RECORDS; ) {
    const next = splitRecord(sample, pos, final, delim, f);
    if (next === INCOMPLETE) break;
    if (next < 0) return null;
    if (f.count > 0) counts.push(f.count);
    pos = next;
  }
  return counts.length ? counts : null;
}

/** The delimiter that splits the header into the most fields, preferring one that splits every sampled row alike. */
function sniffDelimiter(sample: Uint8Array, final: boolean): string {
  let best = { delim: ',', fields: 1, consistent: false };
  for (const d of DELIMITERS) {
    const counts = fieldCounts(sample, final, d.charCodeAt(0));
    if (!counts || counts[0] < 2) continue;
    const consistent = counts.every((c) => c === counts[0]);
    if ((consistent && !best.consistent) || (consistent === best.consistent && counts[0] > best.fields)) {
      best = { delim: d, fields: counts[0], consistent };
    }
  }
  if (best.fields > 1) return best.delim;
  const ws = fieldCounts(sample, final, SPACE);
  return ws && ws[0] > 1 ? ' ' : ',';
}

/** Reads the file's start (growing the read until it holds the header) and finds the delimiter and header. */
async function sniff(file: FileHandle, path: string, size: number): Promise<Layout> {
  for (let want = 64 * 1024; ; want *= 4) {
    const sample = Buffer.allocUnsafe(Math.min(want, size));
    const { bytesRead } = await file.read(sample, 0, sample.length, 0);
    const final = bytesRead === size;
    const nul = sample.subarray(0, bytesRead).indexOf(0);
    if (nul >= 0) throw new Error(`CSV file ${path}: not a text file (a NUL byte at offset ${nul})`);
    const bom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? 3 : 0;
    const text = sample.subarray(bom, bytesRead);
    const delimiter = sniffDelimiter(text, final);
    const f = newFields();
    let line = 1;
    for (let pos = 0; pos < text.length; ) {
      const next = splitRecord(text, pos, final, delimiter.charCodeAt(0), f);
      if (next === INCOMPLETE) break;
      if (next < 0) syntaxError(path, line, next);
      if (f.count > 0) {
        const header = Array.from({ length: f.count }, (_, i) => fieldText(text, f, i));
        return { delimiter, header, data: { offset: bom + next, line: line + f.newlines } };
      }
      line += f.newlines;
      pos = next;
    }
    if (final) throw new Error(`CSV file ${path}: the file is empty (no header row)`);
  }
}

/** Column names from the header: pandas' 'Unnamed: i' for empty ones (its index column), no duplicates. */
function columnNames(header: string[], path: string): string[] {
  const names = header.map((h, i) => (h === '' ? `Unnamed: ${i}` : h));
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const prev = seen.get(n);
    if (prev !== undefined) throw new Error(`CSV file ${path}: column name '${n}' appears twice (columns ${prev + 1} and ${i + 1})`);
    seen.set(n, i);
  });
  return names;
}

// ---------------------------------------------------------------------------------------------------------
// Values

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const MISSING = /^(?:|[+-]?(?:nan|inf|infinity)|n\/?a|null|none)$/i;

type CellKind = 'number' | 'missing' | 'text';

const cellKind = (text: string): CellKind => (NUMBER.test(text) ? 'number' : MISSING.test(text) ? 'missing' : 'text');

/** Whether `text` starts like 0x…, 0o… or 0b…: forms Number accepts that a CSV number never takes. */
function radixPrefixed(text: string): boolean {
  const second = text.charCodeAt(1) | 0x20; // lower case
  return text.charCodeAt(0) === 0x30 && (second === 0x78 || second === 0x6f || second === 0x62);
}

/** The finite value of cell `i`, or an error naming the file, line, row and column. */
function cellValue(buf: Buffer, f: Fields, i: number, path: string, line: number, row: number, column: string): number {
  // Latin-1 decodes the ASCII a number is written in exactly, and faster than UTF-8 (this is the hot loop).
  const fast = f.quoted[i] ? fieldText(buf, f, i) : buf.toString('latin1', f.start[i], f.end[i]).trim();
  // Number() is the correctly rounded parser; it also reads '' and '  ' as 0, and 'Infinity': ruled out here.
  const v = Number(fast);
  if (fast !== '' && Number.isFinite(Math.fround(v)) && !radixPrefixed(fast)) return v;
  const text = fieldText(buf, f, i);
  const where = `CSV file ${path}: line ${line} (row ${row}), column '${column}'`;
  if (NUMBER.test(text)) throw new Error(`${where}: ${text} is beyond the float32 range`);
  throw new Error(`${where} ${text === '' ? 'is empty' : `is '${text}', not a finite number`}`);
}

/** The int8 code of a label cell ('1', '1.0'), or an error naming the file, line, row and column. */
function cellLabel(text: string, path: string, line: number, row: number, column: string): number {
  const code = NUMBER.test(text) ? labelCode(Number(text)) : null;
  if (code === null) {
    throw new Error(`CSV file ${path}: line ${line} (row ${row}), label column '${column}' holds '${text}', not an integer in -1..127`);
  }
  return code;
}

// ---------------------------------------------------------------------------------------------------------
// The indexing pass

interface CsvIndex {
  rows: number;
  /** Position of row k × indexEvery. */
  marks: Position[];
  /** Per column: no text cell among the first SAMPLE_ROWS rows. */
  numeric: boolean[];
  preview: string[][];
  labelCodes: Set<number>;
}

/** One pass over the data rows: counts and indexes them, checks field counts and the label column's values. */
async function indexRows(
  file: FileHandle,
  path: string,
  layout: Layout,
  labelColumn: number,
  tuning: Required<CsvTuning>,
): Promise<CsvIndex> {
  const width = layout.header.length;
  const kinds: CellKind[][] = layout.header.map(() => []);
  const index: CsvIndex = { rows: 0, marks: [], numeric: [], preview: [], labelCodes: new Set() };
  await scan(file, path, layout.delimiter.charCodeAt(0), layout.data, tuning.chunkBytes, ({ buf, fields, line, offset }) => {
    if (fields.count !== width) throw new Error(`CSV file ${path}: line ${line} has ${fields.count} fields, the header has ${width}`);
    const row = index.rows;
    if (row % tuning.indexEvery === 0) index.marks.push({ offset, line });
    if (row < PREVIEW_ROWS) index.preview.push(Array.from({ length: width }, (_, i) => fieldText(buf, fields, i)));
    if (row < SAMPLE_ROWS) for (let i = 0; i < width; i++) kinds[i].push(cellKind(fieldText(buf, fields, i)));
    if (labelColumn >= 0) {
      index.labelCodes.add(cellLabel(fieldText(buf, fields, labelColumn), path, line, row, layout.header[labelColumn]));
    }
    index.rows++;
    return true;
  });
  if (index.rows === 0) throw new Error(`CSV file ${path}: has a header but no data rows`);
  // All-missing samples count as numeric: such a column then fails loudly on read instead of vanishing.
  index.numeric = kinds.map((k) => !k.includes('text'));
  return index;
}

function withTuning(t: CsvTuning | undefined): Required<CsvTuning> {
  return { indexEvery: t?.indexEvery ?? INDEX_EVERY, chunkBytes: t?.chunkBytes ?? CHUNK_BYTES };
}

async function withFile<T>(path: string, use: (file: FileHandle, size: number) => Promise<T>): Promise<T> {
  const file = await open(path, 'r').catch((e: Error) => {
    throw new Error(`CSV file ${path}: cannot open (${e.message})`);
  });
  try {
    return await use(file, (await file.stat()).size);
  } catch (e) {
    await file.close();
    throw e;
  }
}

/** Numeric columns other than the label column and unnamed ones (most likely a pandas index). */
const defaultColumns = (names: string[], numeric: boolean[], labelColumn: string | undefined): string[] =>
  names.filter((n, i) => numeric[i] && n !== labelColumn && !n.startsWith('Unnamed: '));

// ---------------------------------------------------------------------------------------------------------
// Public API

/** Header, row count, numeric columns and a preview, for the import dialog (one pass over the file). */
export async function describeCsv(path: string, tuning?: CsvTuning): Promise<CsvDescription> {
  return withFile(path, async (file, size) => {
    const layout = await sniff(file, path, size);
    const columns = columnNames(layout.header, path);
    const index = await indexRows(file, path, layout, -1, withTuning(tuning));
    await file.close();
    const detected = defaultLabelColumn(columns);
    const labelColumn = detected !== undefined && index.numeric[columns.indexOf(detected)] ? detected : undefined;
    return {
      columns,
      numeric: index.numeric,
      rows: index.rows,
      preview: index.preview,
      delimiter: layout.delimiter,
      suggested: { columns: defaultColumns(columns, index.numeric, detected), labelColumn },
    };
  });
}

function resolveLabelColumn(columns: string[], opts: ImportOptions, path: string): string | undefined {
  if (opts.labelColumn !== undefined) {
    if (opts.label !== undefined) throw new Error(`CSV file ${path}: give either a label column or a label for the whole file, not both`);
    if (!columns.includes(opts.labelColumn)) {
      throw new Error(`CSV file ${path}: no label column '${opts.labelColumn}' (columns: ${columns.join(', ')})`);
    }
    return opts.labelColumn;
  }
  return defaultLabelColumn(columns);
}

/** opts.columns checked against the header (before the long indexing pass). */
function chosenColumns(columns: string[], opts: ImportOptions, path: string): string[] | undefined {
  if (!opts.columns) return undefined;
  const unknown = opts.columns.filter((c) => !columns.includes(c));
  if (unknown.length) {
    const names = unknown.map((c) => `'${c}'`).join(', ');
    throw new Error(`CSV file ${path}: no column ${names} (columns: ${columns.join(', ')})`);
  }
  if (opts.columns.length === 0) throw new Error(`CSV file ${path}: no feature columns chosen`);
  return opts.columns;
}

function defaultFeatures(columns: string[], numeric: boolean[], labelColumn: string | undefined, path: string): string[] {
  const chosen = defaultColumns(columns, numeric, labelColumn);
  if (chosen.length === 0) throw new Error(`CSV file ${path}: no numeric column to import besides the label`);
  return chosen;
}

/** Opens a CSV file as a 'table' source (one indexing pass; rows are parsed again on each read). */
export async function openCsvSource(path: string, opts: ImportOptions, tuning?: CsvTuning): Promise<DatasetSource> {
  const t = withTuning(tuning);
  return withFile(path, async (file, size) => {
    const layout = await sniff(file, path, size);
    const columns = columnNames(layout.header, path);
    const labelName = resolveLabelColumn(columns, opts, path);
    const chosen = chosenColumns(columns, opts, path);
    // A whole-file label wins over a label column found by name; that column is still no feature.
    const labelIdx = labelName !== undefined && opts.label === undefined ? columns.indexOf(labelName) : -1;
    const index = await indexRows(file, path, layout, labelIdx, t);
    const features = chosen ?? defaultFeatures(columns, index.numeric, labelName, path);
    const featureIdx = features.map((c) => columns.indexOf(c));
    const whole = fileLabel(opts.label);
    const arrays: ArraySpec[] = [
      { name: 'features', dtype: 'float32', rowShape: [features.length] },
      { name: 'labels', dtype: 'int8', rowShape: [] },
    ];
    let closed = false;

    async function read(start: number, count: number): Promise<Record<string, Float32Array | Int8Array>> {
      if (closed) throw new Error(`CSV file ${path}: source is closed`);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > index.rows) {
        throw new Error(`CSV file ${path}: rows ${start}..${start + count} are outside 0..${index.rows}`);
      }
      const values = new Float32Array(count * features.length);
      const labels = new Int8Array(count).fill(whole.code);
      if (count === 0) return { features: values, labels };
      const mark = Math.floor(start / t.indexEvery);
      let row = mark * t.indexEvery;
      await scan(file, path, layout.delimiter.charCodeAt(0), index.marks[mark], t.chunkBytes, ({ buf, fields, line }) => {
        if (row >= start) {
          if (fields.count !== columns.length) {
            throw new Error(`CSV file ${path}: line ${line} has ${fields.count} fields, the header has ${columns.length} (changed since opened?)`);
          }
          const at = (row - start) * features.length;
          featureIdx.forEach((c, j) => (values[at + j] = cellValue(buf, fields, c, path, line, row, columns[c])));
          if (labelIdx >= 0) labels[row - start] = cellLabel(fieldText(buf, fields, labelIdx), path, line, row, columns[labelIdx]);
        }
        row++;
        return row < start + count;
      });
      if (row < start + count) throw new Error(`CSV file ${path}: ends at row ${row}, expected ${index.rows} rows (changed since opened?)`);
      return { features: values, labels };
    }

    return {
      path,
      format: 'csv',
      kind: 'table',
      rows: index.rows,
      arrays,
      columns: features,
      labelNames: labelIdx >= 0 ? labelNamesOf(index.labelCodes) : whole.labelNames,
      meta: { delimiter: layout.delimiter, ...(labelIdx >= 0 ? { labelColumn: columns[labelIdx] } : {}) },
      read,
      close() {
        if (!closed) void file.close();
        closed = true;
      },
    };
  });
}
