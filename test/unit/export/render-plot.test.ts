import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PAPER_STYLE, renderPng, renderSvg } from '../../../src/main/engine/export/render-plot';
import { runPlotSpecs, studyPlotProblems, studyPlotSpecs, type NamedPlot } from '../../../src/main/engine/export/run-plots';
import { rocPlot } from '../../../src/shared/plots/hep-plots';
import { RUN_CURVES, RUN_LOSSES, STUDY_SAMPLES } from './sample-plots';

const dir = mkdtempSync(join(tmpdir(), 'awb-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SvgFacts { root: string; texts: string[]; tags: Record<string, number> }
interface PngFacts { format: string; width: number; height: number; nonWhiteSampled: number; darkInBox: number | null }

/** Facts about written files from Python (ElementTree for SVG, Pillow for PNG): a reader independent of ECharts and resvg. */
function inspect<T>(items: { path: string; box?: number[] }[]): T[] {
  const r = spawnSync('/usr/bin/python3', [resolve(__dirname, 'inspect_export.py')], { input: JSON.stringify(items), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`inspect_export.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T[];
}

function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The axis titles a spec asks for (the renderer must draw every one). */
function axisNames(p: NamedPlot): string[] {
  const o = p.spec.option as Record<string, unknown>;
  return ['xAxis', 'yAxis'].flatMap((k) => [o[k]].flat()).flatMap((a) => (a && typeof (a as { name?: unknown }).name === 'string' ? [(a as { name: string }).name] : [])).filter(Boolean);
}

const LABEL = 'Simulation, √s = 14 TeV';
const all: [string, NamedPlot][] = [
  ...runPlotSpecs(RUN_CURVES, RUN_LOSSES).map((p): [string, NamedPlot] => ['run', p]),
  ...Object.entries(STUDY_SAMPLES).flatMap(([kind, plots]) => studyPlotSpecs(kind, plots).map((p): [string, NamedPlot] => [kind, p])),
];

describe('paper SVG and PNG of every plot', () => {
  it('draws every sample plot of every study kind and of a run as SVG that parses, with its axis titles and the label', () => {
    for (const [kind, plots] of Object.entries(STUDY_SAMPLES)) expect(studyPlotProblems(kind, plots), kind).toEqual([]);
    expect(new Set(all.map(([k]) => k))).toEqual(new Set(['run', ...Object.keys(STUDY_SAMPLES)]));
    const files = all.map(([kind, p]) => write(`${kind}-${p.name}.svg`, renderSvg(p.spec, { label: LABEL })));
    const facts = inspect<SvgFacts>(files.map((path) => ({ path })));
    facts.forEach((f, i) => {
      const [kind, p] = all[i];
      const what = `${kind}/${p.name}`;
      expect(f.root, what).toBe('svg');
      expect(f.texts, what).toContain(LABEL);
      for (const name of axisNames(p)) expect(f.texts, `${what}: axis title ${name}`).toContain(name);
    });
    const byName = (kind: string, name: string) => facts[all.findIndex(([k, p]) => k === kind && p.name === name)];
    // ROC on a log axis, with HEP-style power-of-ten ticks.
    const roc = byName('run', 'roc');
    expect(roc.texts).toEqual(expect.arrayContaining(['Signal efficiency ε_S', 'Background rejection 1/ε_B', '10⁴', 'AUC = 0.8765']));
    // The bump fit: 20 data points (custom series) and the pull panel below.
    const bump = byName('bump-hunt', 'bump-hunt-eff-0.1');
    expect(bump.texts).toEqual(expect.arrayContaining(['m_jj [GeV]', 'Events / bin', 'Pull (n − b)/√b']));
    expect(bump.tags.circle).toBeGreaterThanOrEqual(20);
    // A 16×16 jet image: one cell per pixel (custom series) besides the axes.
    const image = byName('inverted-task', 'image-Mean-qcd-image');
    expect(image.texts).toEqual(expect.arrayContaining(['η′', 'φ′']));
    expect(image.tags.path).toBeGreaterThanOrEqual(256);
  });

  it('gives byte-identical SVG for the same plot, whatever was drawn in between', () => {
    const [loss, roc] = runPlotSpecs(RUN_CURVES, RUN_LOSSES);
    const first = renderSvg(roc.spec, { label: LABEL });
    renderSvg(loss.spec);
    expect(renderSvg(roc.spec, { label: LABEL })).toBe(first);
    expect(first).not.toMatch(/zr\d+-/);
  });

  it('uses the paper size and font size, and draws no label when none is given', () => {
    const roc = runPlotSpecs(RUN_CURVES, [])[0];
    expect(roc.name).toBe('roc');
    const svg = renderSvg(roc.spec, { width: 800, height: 500, fontSize: 20 });
    expect(svg).toMatch(/^<svg width="800" height="500"/);
    // Axis titles at the paper font size (the builders' 12 px scaled to 20 px).
    expect(svg).toMatch(/font-size:20px[^>]*>Signal efficiency ε_S</);
    const [facts] = inspect<SvgFacts>([{ path: write('nolabel.svg', svg) }]);
    expect(facts.texts.some((t) => t.includes('Simulation'))).toBe(false);
    expect(renderSvg(roc.spec)).toMatch(new RegExp(`^<svg width="${PAPER_STYLE.width}" height="${PAPER_STYLE.height}"`));
  });

  it('rasterises to PNG at the requested scale on white, with the label drawn in the top-left of the frame', () => {
    const roc = runPlotSpecs(RUN_CURVES, [])[0];
    const png = renderPng(renderSvg(roc.spec));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const ihdr = new DataView(png.buffer, png.byteOffset + 16, 8);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([2 * PAPER_STYLE.width, 2 * PAPER_STYLE.height]);
    // The label sits inside the frame's top-left corner (frame left edge 84 px at 14 px fonts).
    const box = [88, 45, 260, 85];
    const [hi, without, withLabel] = inspect<PngFacts>([
      { path: write('roc@2x.png', png) },
      { path: write('roc.png', renderPng(renderSvg(roc.spec), 1)), box },
      { path: write('roc-label.png', renderPng(renderSvg(roc.spec, { label: LABEL }), 1)), box },
    ]);
    expect(hi).toMatchObject({ format: 'PNG', width: 1280, height: 960 });
    expect(hi.nonWhiteSampled).toBeGreaterThan(2000);
    expect(without).toMatchObject({ width: 640, height: 480 });
    expect(withLabel.darkInBox! - without.darkInBox!).toBeGreaterThan(100);
  });

  it('rasterises every sample plot to a PNG that is not blank', () => {
    const facts = inspect<PngFacts>(all.map(([kind, p]) => ({ path: write(`${kind}-${p.name}.png`, renderPng(renderSvg(p.spec), 1)) })));
    facts.forEach((f, i) => {
      expect(f, all[i][1].name).toMatchObject({ format: 'PNG', width: 640, height: 480 });
      expect(f.nonWhiteSampled, all[i][1].name).toBeGreaterThan(500);
    });
  });

  it('refuses a bad paper style, a bad scale and a colour token it has no paper colour for', () => {
    const spec = rocPlot([{ label: 'a', tpr: [0.5, 1], rejection: [4, 1] }]);
    expect(() => renderSvg(spec, { width: 0 })).toThrow(/paper style: width must be a positive number, got 0/);
    expect(() => renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', 0)).toThrow(/scale must be a positive number/);
    const odd = { ...spec, option: { ...spec.option, backgroundColor: 'var(--no-such-colour)' } };
    expect(() => renderSvg(odd)).toThrow(/plot "ROC: .*--no-such-colour has no paper colour/);
  });
});
