// Small results.json `plots` inputs for every study kind, and one scored training run, as the engine writes them.
const tpr = Array.from({ length: 40 }, (_, i) => (i + 1) / 40);
const edges = (lo: number, width: number, bins: number) => Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
const image = (size: number, shift: number) =>
  Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => Math.exp(-((r - size / 2 - shift) ** 2 + (c - size / 2) ** 2) / 8)));

const scoreEdges = edges(0, 0.5, 8);
const background = [0.9, 0.6, 0.3, 0.1, 0.05, 0.03, 0.015, 0.005];
const signal = [0.02, 0.05, 0.1, 0.2, 0.4, 0.5, 0.4, 0.33];
const roc = { tpr, rejection: tpr.map((t) => 1 / t ** 2.5) };
const sic = { tpr, sic: tpr.map((t) => t / Math.sqrt(t ** 2.5)) };

const mjj = edges(1500, 100, 20);
const expected = mjj.slice(0, -1).map((m) => 2e5 * Math.exp(-m / 400));
const counts = expected.map((b, i) => Math.round(b + (i === 9 ? 4 * Math.sqrt(b) : 0)));

export const RUN_CURVES = { auc: 0.8765, roc, sic, scores: { edges: scoreEdges, background, signal } };
export const RUN_LOSSES: { label: string; points: [number, number][] }[] = [
  { label: 'train', points: [[1, 0.9], [2, 0.5], [3, 0.31], [4, 0.25]] },
  { label: 'validation', points: [[1, 1], [2, 0.6], [3, 0.4], [4, 0.36]] },
];

export const STUDY_SAMPLES: Record<string, Record<string, unknown>> = {
  'train-evaluate': { roc: [{ seed: 1, ...roc }, { seed: 2, tpr, rejection: roc.rejection.map((r) => r * 0.8) }], sic: [{ seed: 1, ...sic }], scores: { seed: 1, edges: scoreEdges, background, signal } },
  'inverted-task': {
    roc: [{ train: 'qcd', tagged: 'top', ...roc }, { train: 'top', tagged: 'qcd', tpr, rejection: tpr.map((t) => 1 / t) }],
    scores: [{ train: 'qcd', tagged: 'top', edges: scoreEdges, background, signal }],
    scoreVsMultiplicity: [{ train: 'qcd', tagged: 'top', trained: { low: [10, 20, 40], meanScore: [1, 2, 3] }, taggedClass: { low: [10, 20], meanScore: [2, 4] } }],
    meanImages: { qcd: image(16, 0), top: image(16, 3) },
    meanReconstructions: [{ train: 'qcd', tagged: 'top', trained: image(16, 1), taggedClass: image(16, 2) }],
  },
  'mass-decorrelation': {
    r50VsInverseJsd: { efficiency: 0.5, points: [{ configuration: 'AE', signal: 'top', r50: 12, inverseJsd: 30 }, { configuration: 'β-VAE', signal: 'top', r50: 8, inverseJsd: 300 }, { configuration: 'AE', signal: 'W', r50: 5, inverseJsd: 40 }] },
    massSpectra: [{ configuration: 'AE', edges: edges(0, 25, 12), spectra: [{ efficiency: 1, counts: [5, 20, 40, 60, 50, 40, 30, 20, 10, 8, 4, 2] }, { efficiency: 0.1, counts: [0, 1, 2, 5, 8, 9, 6, 4, 2, 1, 1, 0] }] }],
  },
  'bump-hunt': {
    spectra: [
      { efficiency: 0.1, edges: mjj, counts, expected, pulls: counts.map((n, i) => (n - expected[i]) / Math.sqrt(expected[i])), window: [2300, 2600], curve: { mass: mjj, events: mjj.map((m) => 2e5 * Math.exp(-m / 400)) } },
      { efficiency: 0.001, edges: mjj, counts: counts.map((n) => Math.round(n / 1000)) },
    ],
  },
  topology: {
    errorVsPosition: [{ manifold: 'circle', latent: 1, edges: edges(0, 0.25, 8), meanError: [0.1, 0.2, 0.15, 0.3, 0.12, 0.2, 0.1, 0.05] }, { manifold: 'circle', latent: 2, edges: edges(0, 0.25, 8), meanError: [0.05, 0.06, 0.05, 0.07, 0.06, 0.05, 0.06, 0.05] }],
    latentEmbedding: [{ manifold: 'circle', latent: 2, epochs: [0, 10], position: [0, 0.25, 0.5, 0.75], points: [[[0, 0], [0, 0], [0, 0], [0, 0]], [[1, 0], [0, 1], [-1, 0], [0, -1]]] }],
  },
  representation: { aucBySignal: [{ signal: 'ato4l', auc: [{ setup: 'raw', auc: 0.91, aucStd: 0.01 }, { setup: 'normalised', auc: 0.86, aucStd: 0.02 }] }, { signal: 'leptoquark', auc: [{ setup: 'raw', auc: 0.7 }, { setup: 'normalised', auc: 0.75, aucStd: 0.03 }] }] },
};
