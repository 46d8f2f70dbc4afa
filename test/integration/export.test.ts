// `awb export` and `awb demo` through the built CLI: a tiny inverted-task study exported in every format,
// checked against the registry (numpy reads the stored .npy files), poppler (PDF text and pages), Python's
// XML parser (SVG) and a second export (determinism).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '@shared/api';
import { awb, awbJson, tempHome } from '../helpers/awb';

const home = tempHome();
const H = ['--home', home.dir];
const file = (name: string) => join(home.dir, name);
const PY = '/usr/bin/python3';
const hasPoppler = existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdfinfo');
afterAll(() => home.cleanup());

interface ExportOutput {
  id: string;
  kind: string;
  out: string;
  files: string[];
  report: string | null;
}

let studyId = '';
let metrics: { directions: { train: string; signal: string; auc: number; aucStd: number; runs: string[] }[] };
let first: ExportOutput;

beforeAll(() => {
  // The quick inverted task made tiny: 500 jets per class, one epoch, two seeds (mean ± std).
  awbJson(['study', 'init', 'inverted-task', '--quick', '--out', file('inv.json'), ...H]);
  const s = JSON.parse(readFileSync(file('inv.json'), 'utf8')) as Record<string, any>;
  for (const d of [s.a.data, s.b.data]) d.generate.n = 500;
  s.model.epochs = 1;
  s.seeds = [1, 2];
  s.name = 'tiny inverted task for export';
  writeFileSync(file('tiny.json'), JSON.stringify(s));
  const run = awb(['study', 'run', file('tiny.json'), ...H, '--json'], { timeoutMs: 300_000 });
  if (run.status !== 0) throw new Error(run.stdout + run.stderr);
  const r = JSON.parse(run.stdout) as { id: string; metrics: typeof metrics };
  studyId = r.id;
  metrics = r.metrics;
  first = awbJson<ExportOutput>(['export', studyId.slice(0, 8), '--out', file('export'), '--format', 'html,pdf,png,svg,csv,npy', '--label', 'Simulation, √s = 14 TeV', ...H]);
}, 360_000);

describe('awb export', () => {
  it('writes every file it lists: report, plots, data per child run, the study file and REPRODUCE.md', () => {
    expect(first).toMatchObject({ id: studyId, kind: 'study', out: file('export'), report: join(file('export'), 'report.html') });
    expect(first.files).toEqual([...first.files].sort());
    for (const f of first.files) expect(existsSync(join(first.out, f)), f).toBe(true);
    for (const f of ['report.html', 'report.pdf', 'study.json', 'REPRODUCE.md', 'awb-export.json', 'plots/roc.svg', 'plots/roc.png', 'data/roc.csv']) expect(first.files).toContain(f);
    const runs = metrics.directions.flatMap((d) => d.runs);
    expect(runs).toHaveLength(4);
    for (const id of runs) for (const f of ['scores.csv', 'roc.csv', 'scores.npy', 'labels.npy', 'mass.npy']) expect(first.files).toContain(`data/runs/${id}/${f}`);
    const svgs = first.files.filter((f) => f.endsWith('.svg'));
    for (const svg of svgs) expect(first.files).toContain(svg.replace(/\.svg$/, '.png'));
    const study = JSON.parse(readFileSync(join(first.out, 'study.json'), 'utf8')) as Record<string, unknown>;
    expect(study).toMatchObject({ kind: 'inverted-task', name: 'tiny inverted task for export', seeds: [1, 2] });
    const reproduce = readFileSync(join(first.out, 'REPRODUCE.md'), 'utf8');
    expect(reproduce).toContain('awb study run study.json');
    expect(reproduce).toContain('gen-jets-qcd-n500-s1');
    expect(reproduce).not.toContain(first.out);
  });

  it('report.html is self-contained and holds the question, data hashes, configuration, results and every plot', () => {
    const html = readFileSync(join(first.out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/["'(=]\s*\/\//); // protocol-relative URLs
    expect(html).not.toMatch(/<(script|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\s(src|href)\s*=\s*["'](?!#|data:)/i);
    expect(html).not.toMatch(/url\(\s*["']?(?!#|data:)/i);
    expect(html).not.toContain(first.out);
    expect(html).toContain('Finke et al.');
    const qcd = awbJson<{ sourceHash: string; contentHash: string; rows: number }>(['datasets', 'gen-jets-qcd-n500-s1', ...H]);
    expect(html).toContain(qcd.sourceHash);
    expect(html).toContain(qcd.contentHash);
    for (const d of metrics.directions) expect(html).toContain(`${d.auc.toFixed(4)} ± ${d.aucStd.toFixed(4)}`);
    const plots = first.files.filter((f) => f.endsWith('.svg')).length;
    expect(html.match(/<figure>/g)).toHaveLength(plots);
    expect(html.match(/<svg\b/g)).toHaveLength(plots);
    expect(html).toContain('Simulation, √s = 14 TeV');
    expect(html).toContain('&quot;seeds&quot;: [\n    1,\n    2\n  ]');
    expect(html.match(/^.*Exported .*$/gm)).toHaveLength(1);
  });

  it.skipIf(!hasPoppler)('report.pdf has the study name, the AUCs and every figure as text, on a sane number of A4 pages', () => {
    const text = execFileSync('pdftotext', [join(first.out, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('tiny inverted task for export');
    for (const d of metrics.directions) expect(text).toContain(d.auc.toFixed(4));
    expect(text).toContain('Background rejection'); // axis text of the vector ROC plot
    // Nothing is cut: every figure of the HTML report is in the PDF, in order, and so is its last section.
    const html = readFileSync(join(first.out, 'report.html'), 'utf8');
    const captions = [...html.matchAll(/<figcaption>(Figure \d+):/g)].map((m) => m[1]);
    expect(captions.length).toBe(first.files.filter((f) => f.startsWith('plots/') && f.endsWith('.svg')).length);
    const at = captions.map((c) => text.indexOf(`${c}:`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(text).toContain('All reported numbers');
    const info = execFileSync('pdfinfo', [join(first.out, 'report.pdf')], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThan(40);
    expect(info).toMatch(/Page size:.*\(A4\)/);
  });

  it('the SVGs parse as XML and carry their axis titles', () => {
    const out = execFileSync(
      PY,
      ['-c', `import sys, xml.etree.ElementTree as ET
for f in sys.argv[1:]:
    root = ET.parse(f).getroot()
    assert root.tag.endswith('svg'), f
    print(f.rsplit('/', 1)[1] + '\\t' + ' | '.join(t for t in root.itertext() if t.strip()))`, ...first.files.filter((f) => f.endsWith('.svg')).map((f) => join(first.out, f))],
      { encoding: 'utf8' },
    );
    const texts = Object.fromEntries(out.trim().split('\n').map((l) => l.split('\t')));
    expect(texts['roc.svg']).toMatch(/Signal efficiency/);
    expect(texts['roc.svg']).toMatch(/Background rejection/);
    expect(texts['roc.svg']).toContain('Simulation, √s = 14 TeV');
    expect(Object.keys(texts).some((k) => k.startsWith('scores-'))).toBe(true);
  });

  it("scores.csv holds exactly the registry's scores, labels and masses; the .npy copies are the stored files", () => {
    const run = awbJson<RunDetail>(['show', metrics.directions[0].runs[0], ...H]);
    const stored = (name: string) => join(home.dir, run.artifacts.find((a) => a.name === name)!.path);
    const dir = join(first.out, 'data', 'runs', run.id);
    const check = execFileSync(
      PY,
      ['-c', `import sys, numpy as np
csv, scores, labels, mass = sys.argv[1:]
rows = np.genfromtxt(csv, delimiter=',', names=True, dtype=None, encoding='utf8')
s, l, m = np.load(scores), np.load(labels), np.load(mass)
assert len(rows) == len(s) == len(l) == len(m), (len(rows), len(s))
assert np.array_equal(rows['score'].astype(np.float32), s), 'scores differ'
assert np.array_equal(rows['label'], l), 'labels differ'
assert np.array_equal(rows['mass'].astype(np.float32), m), 'masses differ'
print(len(s))`, join(dir, 'scores.csv'), stored('scores.npy'), stored('labels.npy'), stored('mass.npy')],
      { encoding: 'utf8' },
    );
    expect(Number(check)).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'scores.npy'))).toEqual(readFileSync(stored('scores.npy')));
    const roc = JSON.parse(readFileSync(stored('roc.json'), 'utf8')) as { fpr: number[]; tpr: number[] };
    const lines = readFileSync(join(dir, 'roc.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('fpr,tpr');
    expect(lines.slice(1).map((l) => l.split(',').map(Number))).toEqual(roc.fpr.map((f, i) => [f, roc.tpr[i]]));
  });

  it('exporting again gives identical files but the timestamp line; a foreign folder is refused, untouched', () => {
    const again = awbJson<ExportOutput>(['export', studyId, '--out', file('export'), '--format', 'html,pdf,png,svg,csv,npy', '--label', 'Simulation, √s = 14 TeV', ...H]);
    expect(again.files).toEqual(first.files);
    const copy = awbJson<ExportOutput>(['export', studyId, '--out', file('export-2'), '--format', 'html,png,svg,csv,npy', '--label', 'Simulation, √s = 14 TeV', ...H]);
    for (const f of copy.files) {
      const a = readFileSync(join(first.out, f));
      const b = readFileSync(join(copy.out, f));
      if (f === 'report.html') {
        const strip = (x: Buffer) => x.toString('utf8').replace(/^.*Exported .*$/m, '');
        expect(strip(a)).toBe(strip(b));
      } else if (f === 'awb-export.json') {
        expect(JSON.parse(b.toString()).files).not.toContain('report.pdf');
      } else expect(a.equals(b), f).toBe(true);
    }
    mkdirSync(file('mine'));
    writeFileSync(file('mine/notes.txt'), 'keep me');
    const refused = awb(['export', studyId, '--out', file('mine'), ...H]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(file('mine'));
    expect(refused.stderr).toMatch(/not empty/);
    expect(readFileSync(file('mine/notes.txt'), 'utf8')).toBe('keep me');
    const other = awb(['export', metrics.directions[0].runs[0], '--out', file('export'), ...H]);
    expect(other.stderr).toMatch(new RegExp(`holds the export of run ${studyId}`));
    expect(awb(['export', studyId, '--out', file('x'), '--format', 'html,doc', ...H]).stderr).toMatch(/unknown format "doc"/);
  });
});

describe('awb demo', () => {
  // The quick demo (two 1,500-jet classes, two epochs): about 45 s on two cores.
  it('generates the jets, runs the inverted task and prints the report', () => {
    const r = awb(['demo', '--quick', '--out', file('demo'), ...H, '--json'], { timeoutMs: 900_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ExportOutput;
    expect(out.report).toBe(join(file('demo'), 'report.html'));
    expect(readFileSync(out.report!, 'utf8')).toContain('inverted task: QCD ↔ top with the conv AE');
    expect(out.files).toContain(existsSync('/usr/bin/chromium') || process.env.AWB_CHROMIUM ? 'report.pdf' : 'report.html');
  });
});
