// The dijet bump-hunt generator: the background mjj against the dijet function (a NumPy reference integrates
// the density and runs a KS test and a binned χ²), the signal fraction and peak, the jet-substructure
// separation, and slice independence.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIJET_COLUMNS, generateDijet } from '../../../src/main/engine/data/generators/dijet';

const PYTHON = '/usr/bin/python3';
const REFERENCE = join(__dirname, 'dijet_reference.py');
/** The documented background model: f(x) = (1 − x)^10 / x^(5 + 0.2 ln x) above mjj = 1500 GeV, √s = 13 TeV. */
const MODEL = { sqrtS: 13000, mjjMin: 1500, p1: 10, p2: 5, p3: 0.2 };
/** Kolmogorov's distribution: P(√n·D > 1.95) = 0.001. */
const KS_CRIT_999 = 1.95;
/** χ² critical value for 29 degrees of freedom at p = 0.001. */
const CHI2_29_999 = 58.3;

const C = Object.fromEntries(DIJET_COLUMNS.map((c, k) => [c, k]));
const W = DIJET_COLUMNS.length;
const col = (f: Float32Array, name: string, rows: number[]) => rows.map((i) => f[i * W + C[name]]);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

const dir = mkdtempSync(join(tmpdir(), 'awb-dijet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** KS distance and binned χ² of a mjj sample against the dijet function with the given parameters. */
function reference(mjj: number[], p = MODEL): { n: number; ks_d: number; chi2: number; ndf: number } {
  const file = join(dir, `mjj-${Math.random().toString(36).slice(2)}.f64`);
  writeFileSync(file, Buffer.from(Float64Array.from(mjj).buffer));
  const args = [REFERENCE, file, p.sqrtS, p.mjjMin, p.p1, p.p2, p.p3, 30].map(String);
  const run = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`dijet_reference.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const N = 20_000;
const background = generateDijet({ seed: 3, signalFraction: 0 }, 0, N);
const mixed = generateDijet({ seed: 4, signalFraction: 0.2 }, 0, N);
const rows = (labels: Int8Array, label: number) => Array.from(labels.keys()).filter((i) => labels[i] === label);

describe('background mjj follows the dijet function', () => {
  const mjj = col(background.features, 'mjj', rows(background.labels, 0));

  it('KS test and binned χ² against the numerically integrated density pass', () => {
    expect(background.labels.every((l) => l === 0)).toBe(true);
    expect(Math.min(...mjj)).toBeGreaterThanOrEqual(MODEL.mjjMin);
    const r = reference(mjj);
    expect(r.n).toBe(N);
    expect(Math.sqrt(r.n) * r.ks_d).toBeLessThan(KS_CRIT_999);
    expect(r.chi2).toBeLessThan(CHI2_29_999);
  });

  it('the same test rejects a slightly different spectrum (p2 + 0.3), so it has power', () => {
    const r = reference(mjj, { ...MODEL, p2: MODEL.p2 + 0.3 });
    expect(Math.sqrt(r.n) * r.ks_d).toBeGreaterThan(KS_CRIT_999);
  });

  it('a different √s rescales x = mjj/√s: still the dijet function there', () => {
    const d = generateDijet({ seed: 9, signalFraction: 0, sqrtS: 14000 }, 0, 5000);
    const r = reference(col(d.features, 'mjj', rows(d.labels, 0)), { ...MODEL, sqrtS: 14000 });
    expect(Math.sqrt(r.n) * r.ks_d).toBeLessThan(KS_CRIT_999);
  });
});

describe('signal', () => {
  it('the signal fraction matches within 4 binomial σ (0.2 and the default 0.01)', () => {
    const k = rows(mixed.labels, 1).length;
    expect(Math.abs(k - 0.2 * N)).toBeLessThan(4 * Math.sqrt(N * 0.2 * 0.8));
    const d = generateDijet({ seed: 5 }, 0, N);
    expect(Math.abs(rows(d.labels, 1).length - 0.01 * N)).toBeLessThan(4 * Math.sqrt(N * 0.01 * 0.99));
  });

  it('signal mjj peaks at signalMass with the given width', () => {
    const d = generateDijet({ seed: 6, signalFraction: 1, signalMass: 3000, signalWidth: 120 }, 0, 4000);
    const m = col(d.features, 'mjj', rows(d.labels, 1));
    const mean = m.reduce((a, b) => a + b, 0) / m.length;
    const sd = Math.sqrt(m.reduce((a, b) => a + (b - mean) ** 2, 0) / m.length);
    expect(Math.abs(mean - 3000)).toBeLessThan(10); // σ(mean) = 120/√4000 ≈ 1.9
    expect(Math.abs(median(m) - 3000)).toBeLessThan(10);
    expect(Math.abs(sd - 120)).toBeLessThan(8);
  });

  it('jet masses near 500 and 100 GeV and low τ21 separate signal from background', () => {
    const [s, b] = [rows(mixed.labels, 1), rows(mixed.labels, 0)];
    const f = mixed.features;
    expect(Math.abs(median(col(f, 'mj1', s)) - 500)).toBeLessThan(10);
    expect(Math.abs(median(col(f, 'mj2', s)) - 100)).toBeLessThan(3);
    const window = (i: number) => Math.abs(f[i * W + C.mj1] - 500) < 75 && Math.abs(f[i * W + C.mj2] - 100) < 20;
    expect(s.filter(window).length / s.length).toBeGreaterThan(0.9);
    expect(b.filter(window).length / b.length).toBeLessThan(0.01);
    for (const t of ['tau21_j1', 'tau21_j2']) {
      expect(col(f, t, s).filter((v) => v < 0.45).length / s.length).toBeGreaterThan(0.8);
      expect(col(f, t, b).filter((v) => v < 0.45).length / b.length).toBeLessThan(0.15);
    }
  });
});

describe('row invariants and reproducibility', () => {
  it('j1 is the heavier jet, τ ratios lie in (0, 1), 0 ≤ |Δη| < 2.6, all finite', () => {
    const f = mixed.features;
    const bad: number[] = [];
    for (let i = 0; i < N; i++) {
      const v = (c: string) => f[i * W + C[c]];
      const ok =
        f.subarray(i * W, (i + 1) * W).every(Number.isFinite) &&
        v('mj1') >= v('mj2') &&
        v('mj2') > 0 &&
        ['tau21_j1', 'tau21_j2', 'tau32_j1', 'tau32_j2'].every((c) => v(c) > 0 && v(c) < 1) &&
        v('deta_jj') >= 0 &&
        v('deta_jj') < 2.6 &&
        v('mjj') >= 1500;
      if (!ok) bad.push(i);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('a slice equals the same rows of a bigger call; seeds give different data', () => {
    const spec = { seed: 12, signalFraction: 0.3 };
    const all = generateDijet(spec, 0, 500);
    const part = generateDijet(spec, 123, 77);
    expect(part.features).toEqual(all.features.subarray(123 * W, 200 * W));
    expect(part.labels).toEqual(all.labels.subarray(123, 200));
    expect(generateDijet(spec, 0, 500).features).toEqual(all.features);
    expect(generateDijet({ ...spec, seed: 13 }, 0, 500).features).not.toEqual(all.features);
  });

  it('which rows are signal depends only on (seed, row), not on the signal mass', () => {
    const a = generateDijet({ seed: 2, signalFraction: 0.1, signalMass: 2500 }, 0, 1000).labels;
    expect(generateDijet({ seed: 2, signalFraction: 0.1, signalMass: 4000 }, 0, 1000).labels).toEqual(a);
  });

  it('rejects bad specs with a message naming the problem', () => {
    expect(() => generateDijet({ seed: 1, signalFraction: 1.5 }, 0, 1)).toThrow(/signalFraction must be in \[0, 1\]/);
    expect(() => generateDijet({ seed: 1, signalMass: 20000 }, 0, 1)).toThrow(/signalMass must lie/);
    expect(() => generateDijet({ seed: 1, sqrtS: 1000 }, 0, 1)).toThrow(/√s must be above/);
    expect(() => generateDijet({ seed: 1, signalWidth: 0 }, 0, 1)).toThrow(/signalWidth must be positive|signalWidth must be a positive/);
    expect(() => generateDijet({ seed: 1 }, 0, -3)).toThrow(/count must be/);
  });
});
