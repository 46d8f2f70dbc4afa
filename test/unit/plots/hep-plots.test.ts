import { describe, expect, it } from 'vitest';
import {
  barPlot,
  bumpFitPlot,
  errorVsPositionPlot,
  jetImagePlot,
  lossPlot,
  massSpectraPlot,
  r50JsdPlot,
  rocPlot,
  scatterPlot,
  scoreHistogramPlot,
  sicPlot,
} from '../../../src/shared/plots/hep-plots';
import { formatLinearTick, formatTick, resolveTokens } from '../../../src/shared/plots/plot-style';
import type { PlotSpec } from '../../../src/shared/plots/plot-spec';

// The options are plain objects; the tests read them loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** A small RFC 4180 reader, independent of the code under test: quoted cells, doubled quotes, commas inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

const csvOf = (spec: PlotSpec) => {
  const [header, ...rows] = parseCsv(spec.csv);
  return { header, rows };
};
const opt = (spec: PlotSpec) => spec.option as Any;
const arr = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const seriesNamed = (spec: PlotSpec, name: string) => opt(spec).series.filter((s: Any) => s.name === name);

const roc = [
  { label: 'AE', tpr: [0.1, 0.3, 0.5, 0.8, 1], rejection: [400, 60, 12, 3, 1] },
  { label: 'PCA', tpr: [0.1, 0.3, 0.5, 0.8, 1], rejection: [100, 20, 8, 2, 1] },
];

describe('ROC plot', () => {
  it('puts ε_S on a linear 0–1 x axis and 1/ε_B on a log y axis, with titles', () => {
    const o = opt(rocPlot(roc));
    const [x] = arr(o.xAxis);
    const [y] = arr(o.yAxis);
    expect([x.type, x.min, x.max, x.name]).toEqual(['value', 0, 1, 'Signal efficiency ε_S']);
    expect([y.type, y.name]).toEqual(['log', 'Background rejection 1/ε_B']);
    expect(o.legend).toBeTruthy();
  });

  it('draws the random-guess line 1/ε_S, dashed', () => {
    const [guess] = seriesNamed(rocPlot(roc), 'Random guess');
    expect(guess.lineStyle.type).toBe('dashed');
    expect(guess.data.length).toBeGreaterThan(10);
    for (const [t, r] of guess.data) expect(r).toBeCloseTo(1 / t, 12);
  });

  it('leaves out points whose rejection cannot be drawn on a log axis (0, infinite)', () => {
    const spec = rocPlot([{ label: 'x', tpr: [0.05, 0.2, 0.6], rejection: [Infinity, 50, 0] }]);
    expect(seriesNamed(spec, 'x')[0].data).toEqual([[0.2, 50]]);
  });

  it('has a ratio panel of each curve over the reference on the same ε_S grid, sharing x', () => {
    const spec = rocPlot(roc, { ratioTo: 'PCA' });
    const o = opt(spec);
    expect(spec.title).toMatch(/ratio to PCA/);
    expect(arr(o.yAxis)[1].type).toBe('value');
    expect(arr(o.xAxis)).toHaveLength(2);
    expect(arr(o.grid)).toHaveLength(2);
    expect(o.axisPointer.link).toEqual([{ xAxisIndex: 'all' }]);
    const ratios = o.series.filter((s: Any) => s.yAxisIndex === 1);
    expect(ratios.map((s: Any) => s.name)).toEqual(['AE', 'PCA']);
    const ae = ratios[0].data;
    roc[0].tpr.forEach((t, i) => {
      expect(ae[i][0]).toBe(t);
      expect(ae[i][1]).toBeCloseTo(roc[0].rejection[i] / roc[1].rejection[i], 12);
    });
    for (const [, v] of ratios[1].data) expect(v).toBe(1);
  });

  it('interpolates the reference log-linearly in ε_S when grids differ, and drops points outside its range', () => {
    const ref = { label: 'ref', tpr: [0.2, 0.6], rejection: [100, 10] };
    const other = { label: 'new', tpr: [0.1, 0.4, 0.6], rejection: [500, 50, 20] };
    const ratio = opt(rocPlot([other, ref], { ratioTo: 'ref' })).series.find((s: Any) => s.name === 'new' && s.yAxisIndex === 1).data;
    // At ε_S = 0.4, halfway in ε_S, the reference is the geometric mean √(100·10); 0.1 lies outside [0.2, 0.6].
    expect(ratio.map((p: number[]) => p[0])).toEqual([0.4, 0.6]);
    expect(ratio[0][1]).toBeCloseTo(50 / Math.sqrt(1000), 12);
    expect(ratio[1][1]).toBeCloseTo(2, 12);
  });

  it('refuses a ratio reference that is not one of the curves, and curves of mismatched lengths', () => {
    expect(() => rocPlot(roc, { ratioTo: 'BDT' })).toThrow(/"BDT" is not one of the curves \(AE, PCA\)/);
    expect(() => rocPlot([{ label: 'AE', tpr: [0.1, 0.2], rejection: [3] }])).toThrow(/ROC curve "AE": tpr has 2 values but rejection has 1/);
  });

  it('writes one CSV row per point that reads back to the input', () => {
    const { header, rows } = csvOf(rocPlot(roc));
    expect(header).toEqual(['curve', 'signal_efficiency', 'background_rejection']);
    expect(rows).toHaveLength(10);
    rows.forEach(([label, t, r], k) => {
      const c = roc[Math.floor(k / 5)];
      expect(label).toBe(c.label);
      expect(Number(t)).toBe(c.tpr[k % 5]);
      expect(Number(r)).toBe(c.rejection[k % 5]);
    });
  });
});

describe('SIC plot', () => {
  it('draws ε_S/√ε_B against ε_S with the random-guess line √ε_S', () => {
    const spec = sicPlot([{ label: 'AE', tpr: [0.2, 0.5, 1], sic: [2.5, 1.8, 1] }]);
    const o = opt(spec);
    expect(arr(o.yAxis)[0].name).toBe('Significance improvement ε_S/√ε_B');
    expect(seriesNamed(spec, 'AE')[0].data).toEqual([[0.2, 2.5], [0.5, 1.8], [1, 1]]);
    for (const [t, s] of seriesNamed(spec, 'Random guess')[0].data) expect(s).toBeCloseTo(Math.sqrt(t), 12);
    expect(csvOf(spec).rows.map((r) => r.slice(1).map(Number))).toEqual([[0.2, 2.5], [0.5, 1.8], [1, 1]]);
  });
});

describe('score histograms', () => {
  const h = { edges: [0, 0.5, 1, 2], series: [{ label: 'QCD', density: [1.2, 0.4, 0.2] }, { label: 'top, signal', density: [0, 0.6, 0.7] }] };

  it('draws step outlines on a log y axis by default: two points per bin at its edges, a gap for an empty bin', () => {
    const o = opt(scoreHistogramPlot(h));
    expect(arr(o.yAxis)[0].type).toBe('log');
    expect(arr(o.yAxis)[0].name).toMatch(/a\.u\./);
    expect(o.series[0].data).toEqual([[0, 1.2], [0.5, 1.2], [0.5, 0.4], [1, 0.4], [1, 0.2], [2, 0.2]]);
    expect(o.series[1].data.slice(0, 2)).toEqual([[0, null], [0.5, null]]);
    expect(arr(opt(scoreHistogramPlot(h, { logY: false })).yAxis)[0].type).toBe('value');
    expect(opt(scoreHistogramPlot(h, { logY: false })).series[1].data.slice(0, 2)).toEqual([[0, 0], [0.5, 0]]);
  });

  it('writes low_edge, high_edge and one value column per class (a quoted label survives)', () => {
    const { header, rows } = csvOf(scoreHistogramPlot(h, { xLabel: 'Reconstruction error (MSE)' }));
    expect(header).toEqual(['low_edge', 'high_edge', 'QCD [a.u.]', 'top, signal [a.u.]']);
    expect(rows.map((r) => r.map(Number))).toEqual([[0, 0.5, 1.2, 0], [0.5, 1, 0.4, 0.6], [1, 2, 0.2, 0.7]]);
  });

  it('refuses edges that do not fit the bins', () => {
    expect(() => scoreHistogramPlot({ edges: [0, 1], series: [{ label: 'QCD', density: [1, 2] }] })).toThrow(/score histogram "QCD": 2 edges for 2 bins/);
  });
});

describe('mass spectra', () => {
  const s = { edges: [1000, 1500, 2500], series: [{ label: 'all', counts: [30, 10] }, { label: 'ε_B = 1 %', counts: [1, 3] }] };

  it('counts per bin, or normalised to unit area per GeV', () => {
    const raw = opt(massSpectraPlot(s));
    expect(arr(raw.xAxis)[0].name).toBe('m [GeV]');
    expect(raw.series[0].data).toEqual([[1000, 30], [1500, 30], [1500, 10], [2500, 10]]);
    const norm = massSpectraPlot(s, { normalise: true, xLabel: 'm_jj [GeV]' });
    const o = opt(norm);
    expect(arr(o.yAxis)[0].name).toBe('1/N dN/dm [GeV⁻¹]');
    // 30 of 40 events in a 500 GeV bin, 10 of 40 in a 1000 GeV bin.
    expect(o.series[0].data[0][1]).toBeCloseTo(30 / 40 / 500, 15);
    expect(o.series[0].data[2][1]).toBeCloseTo(10 / 40 / 1000, 15);
    const { header, rows } = csvOf(norm);
    expect(header).toEqual(['low_edge [GeV]', 'high_edge [GeV]', 'all [1/GeV]', 'ε_B = 1 % [1/GeV]']);
    const area = rows.reduce((a, r) => a + Number(r[3]) * (Number(r[1]) - Number(r[0])), 0);
    expect(area).toBeCloseTo(1, 12);
  });
});

describe('bump-hunt fit', () => {
  const b = {
    edges: [2000, 2200, 2400, 2600, 2800],
    counts: [400, 250, 0, 90],
    expected: [390, 240, 150, 95],
    pulls: [0.506, 0.645, -12.247, -0.513],
    window: [2200, 2600] as [number, number],
  };

  it('shows data with √n error bars on a log axis, the fit, the window and a pull panel with the given pulls', () => {
    const spec = bumpFitPlot(b);
    const o = opt(spec);
    expect(arr(o.yAxis).map((a: Any) => [a.type, a.name])).toEqual([['log', 'Events / bin'], ['value', 'Pull (n − b)/√b']]);
    expect(arr(o.xAxis)[1].name).toBe('m_jj [GeV]');
    const [data] = seriesNamed(spec, 'Data');
    expect(data.data[0]).toEqual([2100, 400, 380, 420]);
    expect(data.data[1]).toEqual([2300, 250, 250 - Math.sqrt(250), 250 + Math.sqrt(250)]);
    const [pulls] = seriesNamed(spec, 'Pull');
    expect(pulls.yAxisIndex).toBe(1);
    expect(pulls.data.map((d: number[]) => d[2])).toEqual(b.pulls);
    expect(pulls.data.map((d: number[]) => d.slice(0, 2))).toEqual([[2000, 2200], [2200, 2400], [2400, 2600], [2600, 2800]]);
    expect(seriesNamed(spec, 'Signal window')[0].markArea.data).toEqual([[{ xAxis: 2200 }, { xAxis: 2600 }]]);
    expect(seriesNamed(spec, 'Background fit')[0].data).toEqual([[2000, 390], [2200, 390], [2200, 240], [2400, 240], [2400, 150], [2600, 150], [2600, 95], [2800, 95]]);
  });

  it('draws a given fit curve instead of the binned expectation, and has no window series without a window', () => {
    const spec = bumpFitPlot({ ...b, window: null, curve: { mass: [2000, 2400, 2800], events: [410, 180, 80] } });
    expect(seriesNamed(spec, 'Background fit')[0].data).toEqual([[2000, 410], [2400, 180], [2800, 80]]);
    expect(seriesNamed(spec, 'Signal window')).toHaveLength(0);
  });

  it('writes the bins with observed, expected, pull and window membership', () => {
    const { header, rows } = csvOf(bumpFitPlot(b));
    expect(header).toEqual(['low_edge [GeV]', 'high_edge [GeV]', 'observed [events]', 'expected [events]', 'pull', 'in_signal_window']);
    expect(rows.map((r) => r.map(Number))).toEqual(b.counts.map((n, i) => [b.edges[i], b.edges[i + 1], n, b.expected[i], b.pulls[i], i === 1 || i === 2 ? 1 : 0]));
    expect(() => bumpFitPlot({ ...b, pulls: [1] })).toThrow(/counts has 4 values but pulls has 1/);
  });
});

describe('R50 versus 1/JSD', () => {
  it('plots both on log axes, one series per signal, each point named by its configuration', () => {
    const points = [
      { configuration: 'λ=0', signal: 'W′', r50: 80, inverseJsd: 5 },
      { configuration: 'λ=10', signal: 'W′', r50: 30, inverseJsd: 200 },
      { configuration: 'λ=0', signal: 'top', r50: 20, inverseJsd: 6 },
    ];
    const spec = r50JsdPlot(points, 0.5);
    const o = opt(spec);
    expect([arr(o.xAxis)[0].type, arr(o.yAxis)[0].type]).toEqual(['log', 'log']);
    expect(arr(o.yAxis)[0].name).toMatch(/R50/);
    expect(o.series.map((s: Any) => s.name)).toEqual(['W′', 'top']);
    expect(o.series[0].data).toEqual([{ name: 'λ=0', value: [5, 80] }, { name: 'λ=10', value: [200, 30] }]);
    const { header, rows } = csvOf(spec);
    expect(header).toEqual(['configuration', 'signal', 'R50', 'inverse_JSD']);
    expect(rows).toEqual(points.map((p) => [p.configuration, p.signal, String(p.r50), String(p.inverseJsd)]));
  });
});

describe('scatter plot', () => {
  const n = 12_345;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
  const c = Float64Array.from({ length: n }, (_, i) => i % 7);

  it('keeps at most maxPoints, every k-th point from the first, the same every time', () => {
    const a = scatterPlot({ x, y, colour: c }, { x: 'z₁', y: 'z₂', colour: 'm_J [GeV]' }, 1000);
    const data = opt(a).series[0].data;
    expect(data.length).toBeLessThanOrEqual(1000);
    const stride = Math.ceil(n / 1000);
    expect(data.length).toBe(Math.ceil(n / stride));
    data.forEach((p: number[], k: number) => expect(p).toEqual([x[k * stride], y[k * stride], c[k * stride]]));
    const again = scatterPlot({ x, y, colour: c }, { x: 'z₁', y: 'z₂', colour: 'm_J [GeV]' }, 1000);
    expect(opt(again).series[0].data).toEqual(data);
    expect(again.csv).toBe(a.csv);
    expect(a.title).toMatch(/of 12,345 points/);
    const vm = opt(a).visualMap;
    expect([vm.dimension, vm.min, vm.max]).toEqual([2, 0, 6]);
  });

  it('draws everything below the limit (default 5000), and its CSV reads back to the points', () => {
    const spec = scatterPlot({ x: x.subarray(0, 300), y: y.subarray(0, 300) }, { x: 'z₁', y: 'z₂' });
    expect(opt(spec).series[0].data).toHaveLength(300);
    expect(opt(spec).visualMap).toBeUndefined();
    const { header, rows } = csvOf(spec);
    expect(header).toEqual(['z₁', 'z₂']);
    rows.forEach((r, i) => expect(r.map(Number)).toEqual([x[i], y[i]]));
    expect(() => scatterPlot({ x, y: y.subarray(0, 5) }, { x: 'a', y: 'b' })).toThrow(/x has 12345 values but y has 5/);
  });
});

describe('jet image', () => {
  it('maps row-major pixels (rows = η′, columns = φ′) to cells spanning −range…+range', () => {
    // 3×3 image: a single hot pixel in row 2 (highest η′), column 0 (lowest φ′).
    const image = [0, 0, 0, 0, 0, 0, 0.9, 0, 0.1];
    const spec = jetImagePlot(image, 3, { range: 0.6, title: 'Mean top jet' });
    // Square pixels: the panel keeps the plot area square.
    expect(spec.aspect).toBe(1);
    const o = opt(spec);
    expect([arr(o.xAxis)[0].name, arr(o.yAxis)[0].name]).toEqual(['η′', 'φ′']);
    expect([arr(o.xAxis)[0].min, arr(o.xAxis)[0].max]).toEqual([-0.6, 0.6]);
    const cells = o.series[0].data;
    expect(cells).toHaveLength(9);
    const hot = cells[6];
    [0.2, 0.6, -0.6, -0.2].forEach((v, i) => expect(hot[i]).toBeCloseTo(v, 12));
    expect(hot[4]).toBe(0.9);
    expect(o.visualMap.max).toBe(0.9);
    const logged = opt(jetImagePlot(image, 3, { range: 0.6, title: 'log', log: true })).series[0].data;
    expect(logged[6][4]).toBeCloseTo(Math.log10(0.9), 12);
    expect(Number.isNaN(logged[0][4])).toBe(true);
    expect(csvOf(spec).rows.map((r) => Number(r[4]))).toEqual(image);
    expect(() => jetImagePlot(image, 4, { range: 1, title: 'bad' })).toThrow(/jet image "bad": 9 pixels, expected 4×4 = 16/);
  });
});

describe('error profiles and bars', () => {
  it('draws the mean error per position bin as steps and writes one row per bin', () => {
    const spec = errorVsPositionPlot([{ label: 'QCD', edges: [0, 0.2, 0.4], meanError: [0.01, 0.03] }], 'Pixel radius R′');
    expect(opt(spec).series[0].data).toEqual([[0, 0.01], [0.2, 0.01], [0.2, 0.03], [0.4, 0.03]]);
    expect(arr(opt(spec).yAxis)[0].name).toBe('Reconstruction error (MSE)');
    expect(csvOf(spec).rows).toEqual([['QCD', '0', '0.2', '0.01'], ['QCD', '0.2', '0.4', '0.03']]);
  });

  it('draws the loss per epoch on a frame of the planned epochs, log y on request, and its CSV reads back', () => {
    const curves = [
      { label: 'train', points: [[1, 0.5], [2, 0.25]] as [number, number][] },
      { label: 'validation', points: [[1, 0.6], [2, 0.3]] as [number, number][] },
    ];
    const spec = lossPlot(curves, { xMax: 10, logY: true });
    expect(opt(spec).series.map((x: Any) => x.data)).toEqual(curves.map((c) => c.points));
    expect(arr(opt(spec).xAxis)[0]).toMatchObject({ name: 'Epoch', min: 1, max: 10 });
    expect(arr(opt(spec).yAxis)[0]).toMatchObject({ name: 'Loss (MSE)', type: 'log' });
    expect(arr(opt(lossPlot(curves)).yAxis)[0].type).toBe('value');
    expect(csvOf(spec).header).toEqual(['curve', 'epoch', 'Loss (MSE)']);
    expect(csvOf(spec).rows).toEqual([['train', '1', '0.5'], ['train', '2', '0.25'], ['validation', '1', '0.6'], ['validation', '2', '0.3']]);
  });

  it('groups bars by category, one series per label, with value ± error in the data', () => {
    const spec = barPlot(
      [
        { group: 'top', bars: [{ label: 'AE', value: 0.91, error: 0.01 }, { label: 'PCA', value: 0.85 }] },
        { group: 'W′', bars: [{ label: 'AE', value: 0.7, error: 0.02 }] },
      ],
      'AUC',
    );
    const o = opt(spec);
    expect(arr(o.xAxis)[0]).toMatchObject({ type: 'category', data: ['top', 'W′'] });
    expect(o.series.map((s: Any) => s.name)).toEqual(['AE', 'PCA']);
    expect(o.series[0].data.map((d: number[]) => d.slice(0, 3))).toEqual([[0, 0.91, 0.01], [1, 0.7, 0.02]]);
    expect(o.series[1].data.map((d: number[]) => d.slice(0, 3))).toEqual([[0, 0.85, 0]]);
    expect(csvOf(spec).rows).toEqual([['top', 'AE', '0.91', '0.01'], ['top', 'PCA', '0.85', ''], ['W′', 'AE', '0.7', '0.02']]);
  });
});

describe('plot styling helpers', () => {
  it('resolves theme tokens everywhere in an option and leaves functions and numbers alone', () => {
    const f = (v: number) => String(v);
    const out = resolveTokens({ a: 'var(--plot-1)', b: [{ c: 'var(--text)' }], d: [1, 2], f, s: 'plain' }, (v) => `resolved${v}`);
    expect(out).toEqual({ a: 'resolved--plot-1', b: [{ c: 'resolved--text' }], d: [1, 2], f, s: 'plain' });
    // Every colour in a real plot is a theme token, so both themes can be drawn from one spec.
    const colours = JSON.stringify(rocPlot(roc, { ratioTo: 'PCA' }).option).match(/#[0-9a-f]{3,8}\b|rgb\(/gi);
    expect(colours).toBeNull();
  });

  it('labels powers of ten far from one as 10ⁿ and other ticks with four significant digits', () => {
    expect([formatTick(1e4), formatTick(1e-3), formatTick(100), formatTick(0.25), formatTick(12345.6)]).toEqual(['10⁴', '10⁻³', '100', '0.25', '12,346']);
    expect([formatLinearTick(0.1 + 0.2), formatLinearTick(0.0005), formatLinearTick(2500)]).toEqual(['0.3', '0.0005', '2,500']);
  });
});
