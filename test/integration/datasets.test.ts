// The dataset store through the real CLI: generated jets in the Top Tagging layout (opened by pandas),
// imported, listed with counts and hashes, and their representations checked against NumPy; ADC2021 files
// written by h5py; duplicates; bad input that must leave the store and the registry exactly as they were.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetInfo, GenerateResult, RepresentationInfo } from '@shared/api';
import { readNpy } from '../../src/main/engine/data/npy';
import { Engine } from '../../src/main/engine/engine';
import { awb, awbJson, tempHome } from '../helpers/awb';
import { maxScaledDiff, numpyReference } from '../unit/represent/toy-data';

const PY = '/usr/bin/python3';
const JETS = 300;
const home = tempHome();
const H = ['--home', home.dir];
const file = (name: string) => join(home.dir, name);
afterAll(() => home.cleanup());

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const storeEntries = () => readdirSync(join(home.dir, 'datasets')).sort();
const f32 = async (path: string) => (await readNpy(path)).data as Float32Array;

describe('generated jets: generate → pandas → import → datasets → representations', () => {
  let top: DatasetInfo;
  let qcd: DatasetInfo;

  beforeAll(() => {
    for (const [process, seed] of [['top', 1], ['qcd', 2]] as const) {
      const r = awbJson<GenerateResult>(['generate', 'jets', '--process', process, '--n', String(JETS), '--seed', String(seed), '--out', file(`${process}.h5`), ...H]);
      expect(r).toMatchObject({ rows: JETS, countsByLabel: { [process]: JETS }, sha256: sha256(file(`${process}.h5`)) });
    }
    top = awbJson<DatasetInfo>(['import', file('top.h5'), '--name', 'top', ...H]);
    qcd = awbJson<DatasetInfo>(['import', file('qcd.h5'), '--name', 'qcd', ...H]);
  }, 300_000);

  it('writes files that pandas.read_hdf opens with the 806 Top Tagging columns and the labels', () => {
    const out = execFileSync(PY, ['-c', `
import pandas as pd, sys, json
res = {}
for name in ("top", "qcd"):
    df = pd.read_hdf(sys.argv[1] + "/" + name + ".h5", "table")
    res[name] = [list(df.shape), list(df.columns[:4]), list(df.columns[-6:]), int(df["is_signal_new"].sum()), float(df["E_0"].min())]
print(json.dumps(res))`, home.dir], { encoding: 'utf8' });
    const r = JSON.parse(out) as Record<string, [number[], string[], string[], number, number]>;
    for (const [name, signal] of [['top', JETS], ['qcd', 0]] as const) {
      expect(r[name][0]).toEqual([JETS, 806]);
      expect(r[name][1]).toEqual(['E_0', 'PX_0', 'PY_0', 'PZ_0']);
      expect(r[name][2]).toEqual(['truthE', 'truthPX', 'truthPY', 'truthPZ', 'ttv', 'is_signal_new']);
      expect(r[name][3]).toBe(signal);
      expect(r[name][4]).toBeGreaterThan(0); // every jet has a hardest constituent
    }
  });

  it('the same seed makes the same file again, byte for byte', () => {
    const again = awbJson<GenerateResult>(['generate', 'jets', '--process', 'top', '--n', String(JETS), '--seed', '1', '--out', file('top-again.h5'), ...H]);
    expect(again.sha256).toBe(sha256(file('top.h5')));
    const same = execFileSync(PY, ['-c', `
import pandas as pd, sys
a = pd.read_hdf(sys.argv[1], "table"); b = pd.read_hdf(sys.argv[2], "table")
print(a.equals(b))`, file('top.h5'), file('top-again.h5')], { encoding: 'utf8' });
    expect(same.trim()).toBe('True');
  });

  it('lists both datasets with counts, shapes, hashes and a stratified split', () => {
    const list = awbJson<DatasetInfo[]>(['datasets', ...H]);
    expect(list.map((d) => d.name)).toEqual(['qcd', 'top']);
    for (const [d, label] of [[top, 'top'], [qcd, 'qcd']] as const) {
      const listed = list.find((x) => x.id === d.id)!;
      expect(listed).toEqual(d);
      expect(d).toMatchObject({ kind: 'jets', format: 'toptag', rows: JETS, countsByLabel: { [label]: JETS } });
      expect(d.shapes).toEqual({ p4: [JETS, 200, 4], labels: [JETS], truth: [JETS, 4] });
      expect(d.sourceHash).toBe(sha256(file(`${label}.h5`)));
      expect(d.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(d.splits.counts).toEqual({ train: { [label]: 180 }, validation: { [label]: 60 }, test: { [label]: 60 } });
    }
    expect(top.contentHash).not.toBe(qcd.contentHash);
    expect(awbJson<DatasetInfo>(['datasets', 'top', ...H])).toEqual(top);
  });

  it('stores exactly the rows pandas reads', () => {
    const out = execFileSync(PY, ['-c', `
import pandas as pd, numpy as np, sys
df = pd.read_hdf(sys.argv[1], "table")
stored = np.load(sys.argv[2])
print(np.array_equal(df.values[:, :800].astype(np.float32).reshape(-1, 200, 4), stored))`, file('top.h5'), join(home.dir, 'datasets', top.id, 'p4.npy')], { encoding: 'utf8' });
    expect(out.trim()).toBe('True');
  });

  it('computes jet images, constituent lists and observables that agree with NumPy, and caches them', async () => {
    const p4 = await f32(join(home.dir, 'datasets', top.id, 'p4.npy'));
    const images = awbJson<RepresentationInfo>(['represent', 'top', '--kind', 'jet-images', '--transform', 'sqrt', ...H]);
    expect(images).toMatchObject({ shape: [JETS, 40, 40], cached: false });
    const imageRef = join(home.dir, 'images.f64');
    writeFileSync(join(home.dir, 'p4.f32'), Buffer.from(p4.buffer, p4.byteOffset, p4.byteLength));
    execFileSync(PY, [join(__dirname, '..', 'unit', 'physics', 'jet_image_reference.py'), join(home.dir, 'p4.f32'), imageRef, String(JETS), '200', '40', '40', '-0.8', '0.8', '-0.8', '0.8']);
    const allTransforms = new Float64Array(readFileSync(imageRef).buffer.slice(0));
    const sqrtImages = allTransforms.subarray(JETS * 1600, 2 * JETS * 1600); // none, sqrt, …
    expect(maxScaledDiff(await f32(join(images.folder, 'data.npy')), sqrtImages)).toBeLessThan(1e-5);
    expect(awbJson<RepresentationInfo>(['represent', 'top', '--kind', 'jet-images', '--transform', 'sqrt', ...H]).cached).toBe(true);

    const raw = awbJson<RepresentationInfo>(['represent', 'top', '--kind', 'constituents', '--coords', 'pt-deta-dphi', '--no-scale', ...H]);
    expect(raw.shape).toEqual([JETS, 20, 3]);
    // reference.py returns the (E, px, py, pz) lists first, then the (pT, Δη, Δφ) ones.
    const relRef = numpyReference(home.dir, 'constituents', p4, [JETS, 200, 20]).subarray(JETS * 20 * 4);
    expect(maxScaledDiff(await f32(join(raw.folder, 'data.npy')), relRef)).toBeLessThan(1e-5);

    // Scaled: sklearn's RobustScaler fitted on the training split only, padding ignored.
    const scaled = awbJson<RepresentationInfo>(['represent', 'top', '--kind', 'constituents', '--coords', 'pt-deta-dphi', ...H]);
    const split = (await readNpy(join(home.dir, 'datasets', top.id, 'split.npy'))).data as Int8Array;
    const rawRows = await f32(join(raw.folder, 'data.npy'));
    const trainRows = [...split.keys()].filter((r) => split[r] === 0);
    const train = new Float32Array(trainRows.length * 60);
    trainRows.forEach((r, i) => train.set(rawRows.subarray(r * 60, r * 60 + 60), i * 60));
    const sk = numpyReference(home.dir, 'robust-scaler', train, [trainRows.length, 60, 3]);
    const fit = scaled.fit as { center: number[]; scale: number[] };
    expect(maxScaledDiff(fit.center, sk.subarray(0, 60))).toBeLessThan(1e-5);
    expect(maxScaledDiff(fit.scale, sk.subarray(60, 120))).toBeLessThan(1e-5);

    const obs = awbJson<RepresentationInfo>(['represent', 'top', '--kind', 'jet-observables', ...H]);
    expect(obs.columns).toEqual(['mass', 'pt', 'eta', 'multiplicity', 'tau21', 'tau32']);
    const obsRef = numpyReference(home.dir, 'jet-observables', p4, [JETS, 200]); // (6, JETS): one row per observable
    const byJet = Float64Array.from({ length: JETS * 6 }, (_, i) => obsRef[(i % 6) * JETS + Math.floor(i / 6)]);
    expect(maxScaledDiff(await f32(join(obs.folder, 'data.npy')), byJet)).toBeLessThan(1e-4);
  }, 300_000);
});

describe('ADC2021 files written by h5py', () => {
  beforeAll(() => {
    execFileSync(PY, ['-c', `
import sys, numpy as np, h5py
rng = np.random.default_rng(5)
def events(n):
    p = np.zeros((n, 19, 4), np.float32)
    p[:, 0] = np.stack([rng.uniform(0, 100, n), np.zeros(n), rng.uniform(-3, 3, n), np.ones(n)], 1)
    for e in range(n):
        k = rng.integers(1, 5)
        p[e, 9:9 + k] = np.stack([np.sort(rng.uniform(20, 200, k))[::-1], rng.uniform(-2, 2, k), rng.uniform(-3, 3, k), 4 * np.ones(k)], 1)
        p[e, 1] = (rng.uniform(24, 80), rng.uniform(-2, 2), rng.uniform(-3, 3), 2)
    return p
def write(name, p):
    with h5py.File(sys.argv[1] + "/" + name, "w") as f:
        f["Particles"] = p
        f["Particles_Names"] = np.array([b"Pt", b"Eta", b"Phi", b"Class"])
write("Ato4l_lepFilter_13TeV.h5", events(500))
write("background_for_training.h5", events(1200))
bad = events(50); bad[17, 9, 1] = np.nan
write("nan.h5", bad)
write("empty.h5", np.zeros((0, 19, 4), np.float32))
with h5py.File(sys.argv[1] + "/wrong.h5", "w") as f:
    f["Jets"] = events(10)
`, home.dir]);
  });

  it('labels a signal file from its name and stores every value', async () => {
    const d = awbJson<DatasetInfo>(['import', file('Ato4l_lepFilter_13TeV.h5'), '--name', 'ato4l', ...H]);
    expect(d).toMatchObject({ kind: 'events', format: 'adc2021', rows: 500, countsByLabel: { ato4l: 500 }, labelNames: { '1': 'ato4l' } });
    const check = execFileSync(PY, ['-c', `
import numpy as np, h5py, sys
with h5py.File(sys.argv[1]) as f: p = f["Particles"][:]
print(np.array_equal(np.load(sys.argv[2]), p), set(np.load(sys.argv[3]).tolist()))`, file('Ato4l_lepFilter_13TeV.h5'), join(home.dir, 'datasets', d.id, 'particles.npy'), join(home.dir, 'datasets', d.id, 'labels.npy')], { encoding: 'utf8' });
    expect(check.trim()).toBe('True {1}');
    const flat = awbJson<RepresentationInfo>(['represent', 'ato4l', '--kind', 'event-features', ...H]);
    const particles = await f32(join(home.dir, 'datasets', d.id, 'particles.npy'));
    const expected = Float32Array.from({ length: 500 * 57 }, (_, i) => particles[Math.floor(i / 3) * 4 + (i % 3)]);
    expect(await f32(join(flat.folder, 'data.npy'))).toEqual(expected);
  });

  it('takes the label from --label, honours --limit and a custom split', () => {
    const d = awbJson<DatasetInfo>(['import', file('background_for_training.h5'), '--name', 'sm', '--limit', '1000', '--split', '0.5,0.25,0.25', '--split-seed', '3', ...H]);
    expect(d).toMatchObject({ rows: 1000, countsByLabel: { sm: 1000 }, labelNames: { '0': 'sm' } });
    expect(d.splits).toMatchObject({ fractions: [0.5, 0.25, 0.25], seed: 3, counts: { train: { sm: 500 }, validation: { sm: 250 }, test: { sm: 250 } } });
  });

  it('refuses the same file with the same options again, naming the dataset it is', () => {
    const before = storeEntries();
    const r = awb(['import', file('Ato4l_lepFilter_13TeV.h5'), '--name', 'ato4l-again', ...H]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Ato4l_lepFilter_13TeV\.h5 was already imported as dataset "ato4l"/);
    expect(storeEntries()).toEqual(before);
  });

  it('leaves the store and the registry exactly as they were on bad input', () => {
    copyFileSync(file('background_for_training.h5'), file('truncated.h5'));
    truncateSync(file('truncated.h5'), 40_000);
    writeFileSync(file('not-hdf5.h5'), 'E_0,PX_0\n1,2\n');
    writeFileSync(file('zero-bytes.h5'), '');
    const datasetsBefore = awbJson<DatasetInfo[]>(['datasets', ...H]);
    const storeBefore = storeEntries();
    const cases: [string, RegExp, string[]][] = [
      ['truncated.h5', /truncated\.h5.*(truncated|corrupt)/, []],
      ['nan.h5', /nan\.h5: event 17, slot 9, field eta is NaN/, []],
      ['empty.h5', /empty\.h5.*no events/, []],
      // Auto-detection would read its (N, 19, 4) 'Jets' as generic jets; named as ADC2021 it is the wrong layout.
      ['wrong.h5', /wrong\.h5.*no dataset 'Particles'/, ['--format', 'adc2021']],
      ['not-hdf5.h5', /not-hdf5\.h5: not an HDF5 file/, []],
      ['zero-bytes.h5', /zero-bytes\.h5: the file is empty/, []],
      ['missing.h5', /missing\.h5: cannot be read/, []],
    ];
    for (const [name, message, extra] of cases) {
      const r = awb(['import', file(name), '--name', `bad-${name}`, ...extra, ...H]);
      expect(r.status, name).not.toBe(0);
      expect(r.stderr, name).toMatch(message);
    }
    const taken = awb(['import', file('background_for_training.h5'), '--name', 'ato4l', ...H]);
    expect(taken.stderr).toMatch(/a dataset named "ato4l" already exists/);
    expect(awbJson<DatasetInfo[]>(['datasets', ...H])).toEqual(datasetsBefore);
    expect(storeEntries()).toEqual(storeBefore);
  });
});

describe('cancelling an import', () => {
  it('stops while reading and stores nothing', async () => {
    execFileSync(PY, ['-c', `
import sys, numpy as np, h5py
p = np.zeros((400000, 19, 4), np.float32); p[:, 0, 0] = 1; p[:, 0, 3] = 1
with h5py.File(sys.argv[1], "w") as f: f["Particles"] = p`, file('big.h5')]);
    const engine = await Engine.open({ home: home.dir });
    try {
      const before = { datasets: await engine.call('datasets.list', {}), store: storeEntries() };
      const { taskId } = await engine.call('datasets.import', { path: file('big.h5'), name: 'big', label: 'sm' });
      await new Promise<void>((resolve) => {
        const off = engine.onEvent((e) => {
          if (e.type === 'task' && e.taskId === taskId && e.phase === 'read') {
            off();
            resolve();
          }
        });
      });
      await engine.call('tasks.cancel', { taskId });
      expect((await engine.waitForTask(taskId)).status).toBe('cancelled');
      expect(await engine.call('datasets.list', {})).toEqual(before.datasets);
      expect(storeEntries()).toEqual(before.store);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
