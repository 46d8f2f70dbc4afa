// The ADC2021 reader against files written by Debian's h5py in the organisers' layout (physics.md §1.2).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADC2021_SLOT_CLASSES, openAdc2021 } from '../../../src/main/engine/data/readers/adc2021';
import { fileBuffer } from '../../helpers/files';

const EVENTS = 300;
const NOID_EVENTS = 257;

// Seeded events: MET in slot 0, 0–4 electrons, 0–4 muons, 0–10 jets, pT-ordered within a class, empty slots all
// zeros. Python also dumps the expected arrays as raw little-endian binaries so every value can be compared.
const WRITER = String.raw`
import sys, numpy as np, h5py
out = sys.argv[1]
rng = np.random.default_rng(11)
def events(n):
    p = np.zeros((n, 19, 4), np.float32)
    for e in range(n):
        p[e, 0] = (rng.uniform(0, 200), 0, rng.uniform(-np.pi, np.pi), 1)
        for first, size, cls in ((1, 4, 2), (5, 4, 3), (9, 10, 4)):
            k = rng.integers(0, size + 1)
            pt = np.sort(rng.uniform(3, 300, k))[::-1]
            for j in range(k):
                p[e, first + j] = (pt[j], rng.uniform(-2.5, 2.5), rng.uniform(-np.pi, np.pi), cls)
    return p
def write(name, particles, ids=None, names=True):
    with h5py.File(f"{out}/{name}", "w") as f:
        f["Particles"] = particles
        if names:
            f["Particles_Names"] = np.array([b"Pt", b"Eta", b"Phi", b"Class"])
            f["Particles_Classes"] = np.array([b"MET_class_1", b"Four_Ele_class_2", b"Four_Mu_class_3", b"Ten_Jet_class_4"])
        if ids is not None:
            f["EvtId"] = ids
good = events(${EVENTS})
ids = rng.integers(-2**62, 2**62, ${EVENTS}, dtype=np.int64)
write("good.h5", good, ids)
good.tofile(f"{out}/good.bin"); ids.tofile(f"{out}/ids.bin")
noid = events(${NOID_EVENTS})
write("noid-f64.h5", noid.astype(np.float64), names=False)
noid.tofile(f"{out}/noid.bin")
small = events(20)
with h5py.File(f"{out}/missing.h5", "w") as f:
    f["Jets"] = small; f["EvtId"] = np.arange(20)
write("shape3.h5", small[:, :, :3])
write("zero.h5", np.zeros((0, 19, 4), np.float32))
write("int.h5", small.astype(np.int32))
write("names.h5", small, names=False)
with h5py.File(f"{out}/names.h5", "a") as f:
    f["Particles_Names"] = np.array([b"Eta", b"Pt", b"Phi", b"Class"])
write("shortids.h5", small, np.arange(19))
write("ids32.h5", small, (np.arange(20, dtype=np.int32) * 3 - 7).reshape(20, 1))
wrong = small.copy(); wrong[7, 5] = (40, 0.3, 1.0, 2)
write("wrongclass.h5", wrong)
nan = small.copy(); nan[11, 10, 1] = np.nan
write("nan.h5", nan)
inf = small.copy(); inf[3, 0, 0] = np.inf
write("inf.h5", inf)
`;

let dir: string;
const file = (name: string) => join(dir, name);
const raw = (name: string) => fileBuffer(file(name));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'awb-adc2021-'));
  writeFileSync(file('writer.py'), WRITER);
  execFileSync('/usr/bin/python3', [file('writer.py'), dir], { stdio: 'pipe' });
  writeFileSync(file('notes.txt'), 'pt,eta,phi,class\n1,2,3,4\n');
  writeFileSync(file('empty.h5'), '');
  copyFileSync(file('good.h5'), file('truncated.h5'));
  truncateSync(file('truncated.h5'), Math.floor(statSync(file('good.h5')).size / 2));
  await h5wasm.ready;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Odd slice sizes that together cover 0..n exactly, so every event is read once and slice edges move around.
function readAll(reader: ReturnType<typeof openAdc2021>) {
  const sizes = [1, 7, 64, 3, 0, 101];
  const particles = new Float32Array(reader.events * 19 * 4);
  const ids: bigint[] = [];
  let at = 0;
  for (let k = 0; at < reader.events; k++) {
    const count = Math.min(sizes[k % sizes.length], reader.events - at);
    const slice = reader.read(at, count);
    expect(slice.particles.length).toBe(count * 19 * 4);
    particles.set(slice.particles, at * 19 * 4);
    if (slice.eventIds) {
      expect(slice.eventIds.length).toBe(count);
      ids.push(...slice.eventIds);
    }
    at += count;
  }
  return { particles, ids };
}

describe('openAdc2021 on valid files', () => {
  it('reads back every value and EvtId h5py wrote, in odd-sized slices', () => {
    const reader = openAdc2021(file('good.h5'));
    try {
      expect(reader.path).toBe(file('good.h5'));
      expect(reader.events).toBe(EVENTS);
      const { particles, ids } = readAll(reader);
      expect(particles).toEqual(new Float32Array(raw('good.bin')));
      expect(ids).toEqual([...new BigInt64Array(raw('ids.bin'))]);
    } finally {
      reader.close();
    }
  });

  it('reads a float64 file without EvtId or name datasets, giving eventIds null', () => {
    const reader = openAdc2021(file('noid-f64.h5'));
    try {
      expect(reader.events).toBe(NOID_EVENTS);
      expect(reader.read(250, 7).eventIds).toBeNull();
      expect(readAll(reader).particles).toEqual(new Float32Array(raw('noid.bin')));
    } finally {
      reader.close();
    }
  });

  it('widens 32-bit EvtId of shape (N, 1) to int64', () => {
    const reader = openAdc2021(file('ids32.h5'));
    try {
      expect([...reader.read(5, 4).eventIds!]).toEqual([8n, 11n, 14n, 17n]);
    } finally {
      reader.close();
    }
  });

  it('has the documented slot layout', () => {
    expect(ADC2021_SLOT_CLASSES).toEqual([1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
  });

  it('refuses slices outside the file and reads after close', () => {
    const reader = openAdc2021(file('good.h5'));
    expect(() => reader.read(295, 6)).toThrow(/events 295\.\.301 are outside 0\.\.300/);
    expect(() => reader.read(-1, 2)).toThrow(/outside/);
    expect(() => reader.read(1.5, 2)).toThrow(/outside/);
    reader.close();
    expect(() => reader.read(0, 1)).toThrow(/reader is closed/);
  });
});

describe('openAdc2021 on bad files', () => {
  it.each([
    ['missing.h5', /no dataset 'Particles' \(found: EvtId, Jets\)/],
    ['shape3.h5', /'Particles' has shape \[20,19,3\], expected \(N, 19, 4\)/],
    ['zero.h5', /'Particles' holds no events/],
    ['int.h5', /'Particles' must hold little-endian float32 or float64 \(found HDF5 class 0, 4 bytes\)/],
    ['names.h5', /'Particles_Names' is \["Eta","Pt","Phi","Class"\]/],
    ['shortids.h5', /'EvtId' has shape \[19\], expected \(20,\)/],
    ['truncated.h5', /probably truncated or corrupt/],
    ['notes.txt', /not an HDF5 file/],
    ['empty.h5', /the file is empty/],
    ['absent.h5', /cannot be read/],
  ])('%s is refused at open with an error naming the file', (name, reason) => {
    const path = file(name);
    expect(() => openAdc2021(path)).toThrow(`ADC2021 file ${path}: `);
    expect(() => openAdc2021(path)).toThrow(reason);
  });

  it.each([
    ['wrongclass.h5', /event 7, slot 5 has class 2, expected 3 \(muon\) or 0 \(empty\)/],
    ['nan.h5', /event 11, slot 10, field eta is NaN/],
    ['inf.h5', /event 3, slot 0, field pT is Infinity/],
  ])('%s is refused by the read that covers the bad event, naming event, slot and problem', (name, reason) => {
    const path = file(name);
    const reader = openAdc2021(path);
    try {
      expect(reader.read(12, 8).particles.length).toBe(8 * 19 * 4);
      expect(() => reader.read(0, 20)).toThrow(`ADC2021 file ${path}: `);
      expect(() => reader.read(0, 20)).toThrow(reason);
    } finally {
      reader.close();
    }
  });
});
