import { describe, expect, it } from 'vitest';
import { nums, studyPlots } from '../../../src/shared/plots/study-plots';

const ctx = { imageRange: 0.8 };
/** As results.json stores it: typed arrays become {"0": …} objects on the way through JSON. */
const viaJson = <T>(x: T): Record<string, unknown> => JSON.parse(JSON.stringify(x)) as Record<string, unknown>;

describe('study plots from results.json', () => {
  it('gives no plots for absent or empty data, and nothing for an unknown kind', () => {
    expect(studyPlots('inverted-task', null, ctx)).toEqual([]);
    for (const kind of ['train-evaluate', 'inverted-task', 'mass-decorrelation', 'bump-hunt', 'topology', 'representation', 'future-kind']) {
      expect(studyPlots(kind, {}, ctx)).toEqual([]);
    }
  });

  it('reads numbers from arrays and from typed arrays serialised as objects', () => {
    expect(nums([1, 2.5, null])).toEqual([1, 2.5, NaN]);
    expect(nums(viaJson({ a: Float64Array.from([3, 4, 5]) }).a)).toEqual([3, 4, 5]);
    expect(nums({ 1: 2 })).toBeNull();
    expect(nums(['a'])).toBeNull();
  });

  it('draws the mass spectra of a configuration stored from Float64Arrays, inclusive first', () => {
    const plots = viaJson({
      massSpectra: [{ configuration: 'β-VAE', edges: Float64Array.from([0, 100, 200]), spectra: [{ efficiency: 1, counts: Float64Array.from([30, 10]) }, { efficiency: 0.1, counts: Float64Array.from([1, 3]) }] }],
    });
    const [p] = studyPlots('mass-decorrelation', plots, ctx);
    expect(p.problem).toBeNull();
    expect(p.spec!.title).toBe('Background mass after cuts: β-VAE');
    // Normalised to unit area: 30/40 and 10/40 per 100 GeV for the inclusive spectrum.
    expect(p.spec!.csv).toMatch(/0\.0075/);
    expect(p.spec!.csv).toContain('inclusive');
    expect(p.spec!.csv).toContain('ε_B = 0.1');
  });

  it('leaves multiplicity bins without jets as gaps in the score profile', () => {
    const plots = { scoreVsMultiplicity: [{ train: 'qcd', tagged: 'top', trained: { low: [10, 15, 25], meanScore: [1, 2, 4], events: [3, 3, 3] }, taggedClass: null }] };
    const [p] = studyPlots('inverted-task', plots, ctx);
    const rows = p.spec!.csv.trim().split('\n').slice(1).map((r) => r.split(','));
    expect(rows.map((r) => [Number(r[1]), Number(r[2])])).toEqual([
      [10, 15],
      [15, 20],
      [20, 25],
      [25, 30],
    ]);
    expect(rows.map((r) => r[3])).toEqual(['1', '2', expect.not.stringMatching(/^\d/), '4']);
  });

  it('reports data a plot cannot take in place of that plot, and draws the rest', () => {
    const plots = {
      spectra: [
        { efficiency: 1, edges: [0, 1, 2], counts: [5, 6, 7], expected: [5, 6, 7], pulls: [0, 0, 0], window: [0, 1] },
        { efficiency: 0.01, edges: [0, 1, 2], counts: [1, 0] },
      ],
    };
    const [bad, skipped] = studyPlots('bump-hunt', plots, ctx);
    expect(bad.spec).toBeNull();
    expect(bad.problem).toMatch(/^bump-hunt-eff-1: .*3 edges for 3 bins/);
    expect(skipped.problem).toBeNull();
    expect(skipped.spec!.title).toBe('Score cut keeping 0.01 of the events (too few events to fit)');
  });

  it('draws the last latent snapshot coloured by position, and the AUC bars per signal', () => {
    const topo = studyPlots('topology', { latentEmbedding: [{ manifold: 'circle', latent: 1, epochs: [0, 1], position: [0.1, 0.2], points: [[[0], [0]], [[0.5], [-0.5]]] }] }, ctx);
    expect(topo).toHaveLength(1);
    expect(topo[0].spec!.title).toBe('Latent embedding, circle, latent 1 (epoch 1)');
    expect(topo[0].spec!.csv).toContain('0.5');
    const rep = studyPlots('representation', { aucBySignal: [{ signal: 'ato4l', auc: [{ setup: 'raw', auc: 0.9, aucStd: 0.01 }] }] }, ctx);
    expect(rep[0].spec!.csv).toContain('0.9');
  });
});
