import { describe, expect, it } from 'vitest';
import { runPlotSpecs, studyPlotProblems, studyPlotSpecs } from '../../../src/main/engine/export/run-plots';
import { RUN_CURVES, RUN_LOSSES, STUDY_SAMPLES } from './sample-plots';

const FILE_SAFE = /^[\w][\w.-]*$/;

describe('the plots an export draws', () => {
  it('names a run\'s plots loss, roc, sic, scores; loss on a log axis when every loss is positive', () => {
    const plots = runPlotSpecs(RUN_CURVES, RUN_LOSSES);
    expect(plots.map((p) => p.name)).toEqual(['loss', 'roc', 'sic', 'scores']);
    expect(plots.every((p) => p.title === p.spec.title && p.title.length > 0)).toBe(true);
    expect((plots[0].spec.option.yAxis as { type: string }).type).toBe('log');
    expect(plots[1].spec.csv).toContain('AUC = 0.8765');
    const zero = runPlotSpecs(null, [{ label: 'train', points: [[1, 0], [2, 0.5]] }]);
    expect(zero.map((p) => p.name)).toEqual(['loss']);
    expect((zero[0].spec.option.yAxis as { type: string }).type).toBe('value');
    expect(runPlotSpecs(null, [{ label: 'train', points: [] }])).toEqual([]);
  });

  it('gives every study plot a unique file-safe name, in the order the results screen shows them', () => {
    const inv = studyPlotSpecs('inverted-task', STUDY_SAMPLES['inverted-task']).map((p) => p.name);
    expect(inv).toEqual([
      'roc',
      'scores-qcd-trained',
      'score-vs-multiplicity-qcd-trained',
      'image-Mean-qcd-image',
      'image-Mean-top-image',
      'image-qcd-trained-AE-mean-qcd-reconstruction',
      'image-qcd-trained-AE-mean-top-reconstruction',
    ]);
    for (const [kind, plots] of Object.entries(STUDY_SAMPLES)) {
      const names = studyPlotSpecs(kind, plots).map((p) => p.name);
      expect(names.length, kind).toBeGreaterThan(0);
      expect(new Set(names.map((n) => n.toLowerCase())).size, kind).toBe(names.length);
      for (const n of names) expect(n, kind).toMatch(FILE_SAFE);
    }
  });

  it('makes names that differ only in case or symbols unique, and skips plots the data cannot make (listed as problems)', () => {
    const img = [[1, 0], [0, 1]];
    const names = studyPlotSpecs('inverted-task', { meanImages: { top: img, Top: img, 'to/p': img, 'to p': img } }, { imageRange: 1 }).map((p) => p.name);
    expect(names).toEqual(['image-Mean-top-image', 'image-Mean-Top-image-2', 'image-Mean-to-p-image', 'image-Mean-to-p-image-2']);
    const bad = { spectra: [{ efficiency: 1, edges: [0, 1, 2], counts: [5, 6, 7], expected: [5, 6, 7], pulls: [0, 0, 0] }, ...(STUDY_SAMPLES['bump-hunt'].spectra as unknown[])] };
    expect(studyPlotSpecs('bump-hunt', bad).map((p) => p.name)).toEqual(['bump-hunt-eff-0.1', 'bump-hunt-eff-0.001']);
    expect(studyPlotProblems('bump-hunt', bad)).toEqual([expect.stringMatching(/^bump-hunt-eff-1: .*3 edges for 3 bins/)]);
  });

  it('uses the image range it is given for the jet images', () => {
    const spec = studyPlotSpecs('inverted-task', { meanImages: { qcd: [[1, 0], [0, 1]] } }, { imageRange: 1.5 })[0].spec;
    expect((spec.option.xAxis as { min: number }).min).toBe(-1.5);
    expect((studyPlotSpecs('inverted-task', { meanImages: { qcd: [[1, 0], [0, 1]] } })[0].spec.option.xAxis as { max: number }).max).toBe(0.8);
  });
});
