// runs.curves on a registry: the curves of a run's stored scores.npy and labels.npy (unlabelled rows
// left out, AUC counted by hand), and a 'bad-request' naming the run when it has no scores.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/main/engine/data/npy';
import { Registry } from '../../../src/main/engine/registry/registry';
import { runCurves } from '../../../src/main/engine/registry/run-curves';
import { apiError, useTempHomes } from './helpers';

const tempHome = useTempHomes();
let reg: Registry | null = null;
afterEach(() => reg?.close());

describe('runs.curves', () => {
  it('draws from the stored scores of labelled rows only', () => {
    reg = Registry.open(tempHome(), { engineVersion: '1' });
    const id = reg.createRun({ kind: 'train', name: 'scored', config: {} });
    // Background 0.1, 0.2, 0.5; signal 0.4, 0.9; the unlabelled 0.95 would change the AUC if it counted.
    const scores = Float32Array.from([0.1, 0.4, 0.2, 0.95, 0.9, 0.5]);
    const labels = Int8Array.from([0, 1, 0, -1, 1, 0]);
    reg.addArtifact(id, { name: 'scores.npy', kind: 'scores', data: encodeNpy({ shape: [6], data: scores }) });
    reg.addArtifact(id, { name: 'labels.npy', kind: 'labels', data: encodeNpy({ shape: [6], data: labels }) });
    const c = runCurves(reg, id);
    // Pairs (signal, background) ranked correctly: 0.4 beats 0.1 and 0.2, 0.9 beats all three → 5 of 6.
    expect(c.runId).toBe(id);
    expect(c.auc).toBeCloseTo(5 / 6, 12);
    // Cuts with background passing (≥0.9 keeps none, so it is left out): ≥0.5 (ε_S ½, ε_B ⅓), ≥0.4 (1, ⅓), ≥0.2 (1, ⅔), ≥0.1 (1, 1).
    expect(c.roc.tpr).toEqual([0.5, 1, 1, 1]);
    expect(c.roc.rejection.map((r) => 1 / r)).toEqual([1 / 3, 1 / 3, 2 / 3, 1].map((f) => expect.closeTo(f, 12)));
    expect(c.scores.edges[0]).toBeCloseTo(0.1, 6);
    expect(c.scores.edges.at(-1)).toBeCloseTo(0.9, 6);
    expect(c.scores.edges).toHaveLength(51);
  });

  it("is a 'bad-request' naming the run when the run has no scores", () => {
    reg = Registry.open(tempHome(), { engineVersion: '1' });
    const id = reg.createRun({ kind: 'selftest', name: 'unscored self-test', config: {} });
    const e = apiError(() => runCurves(reg!, id));
    expect(e.code).toBe('bad-request');
    expect(e.message).toContain(id);
    expect(e.message).toContain('unscored self-test');
    expect(e.message).toMatch(/no scores/);
  });
});
