// The numbers of exported CSVs: float32 values printed as numpy prints them (its shortest round-trip repr,
// an independent reference) and read back bit for bit; scores.csv rows against the arrays they come from.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bumpFitCsv, float32Text, rocCsv, scoresCsv } from '../../../src/main/engine/export/export-data';
import { mulberry32 } from '../../../src/shared/random';

describe('float32Text', () => {
  it('prints the shortest decimal that reads back to the same float32, as numpy does', () => {
    const rand = mulberry32(7);
    const values = Float32Array.from({ length: 400 }, (_, i) => (rand() - 0.5) * 10 ** ((i % 24) - 12));
    values.set([0, 0.1, 1, 1e-30, 3.4028234663852886e38, 1.401298464324817e-45, -2.5, 123456.789]);
    const ours = Array.from(values, float32Text);
    for (const [i, s] of ours.entries()) expect(Math.fround(Number(s)), s).toBe(values[i]);
    const numpy = execFileSync('/usr/bin/python3', ['-c', 'import sys, numpy as np\nfor s in sys.stdin.read().split():\n    print(float(np.float32(s)).hex(), np.format_float_positional(np.float32(s), unique=True, trim="-") if 1e-4 < abs(float(s)) < 1e16 or float(s) == 0 else "")'], {
      input: ours.join('\n'),
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    for (const [i, [hex, shortest]] of numpy.entries()) {
      // numpy reads our text back to the very float32 (compared through its float64 hex form)…
      expect(Number.parseFloat(hexToNumber(hex).toString())).toBe(values[i]);
      // …and its own shortest repr has as many significant digits (a tie may round the last one differently).
      if (shortest) expect(digits(ours[i]), `${ours[i]} vs numpy ${shortest}`).toBe(digits(shortest));
    }
  });
});

/** Significant digits of a decimal text. */
const digits = (s: string): number => s.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;

/** Python's float.hex() text as a number. */
function hexToNumber(hex: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(hex);
  if (!m) throw new Error(`not a float hex: ${hex}`);
  const mantissa = Number.parseInt(m[2] + m[3], 16) / 16 ** m[3].length;
  return (m[1] ? -1 : 1) * mantissa * 2 ** Number(m[4]);
}

describe('scoresCsv and rocCsv', () => {
  it('writes one row per test row, mass empty where there is none, and refuses arrays of different lengths', () => {
    const scores = { data: Float32Array.from([0.1, 2.5, 1e-7]), float32: true };
    expect(scoresCsv(scores, Int8Array.from([0, 1, 1]), { data: Float32Array.from([80.4, 173, 0]), float32: true }, 'run x')).toBe(
      'score,label,mass\n0.1,0,80.4\n2.5,1,173\n1e-7,1,0\n',
    );
    expect(scoresCsv(scores, Int8Array.from([0, 1, 1]), null, 'run x')).toBe('score,label,mass\n0.1,0,\n2.5,1,\n1e-7,1,\n');
    expect(() => scoresCsv(scores, Int8Array.from([0, 1]), null, 'run r123 (test)')).toThrow(/run r123 \(test\): scores \(3\), labels \(2\)/);
  });

  it('prints the stored ROC points in full precision and names the run whose roc.json is broken', () => {
    expect(rocCsv(JSON.stringify({ fpr: [0, 0.1234567890123], tpr: [0, 1 / 3] }), 'run x')).toBe(`fpr,tpr\n0,0\n0.1234567890123,${1 / 3}\n`);
    expect(() => rocCsv('{"fpr":[0]}', 'run r9 (x)')).toThrow(/run r9 \(x\): roc.json has no fpr\/tpr/);
  });
});

describe('bumpFitCsv', () => {
  it('writes one row per score cut with the fit and the best window, empty cells for a cut not fitted', () => {
    const fitted = {
      efficiency: 0.1,
      events: 20_000,
      signalEvents: 180,
      skipped: null,
      fit: { params: [1.5e-3, 9.2, 4.1, 0.05], errors: [1e-4, 0.3, 0.1, 0.01], chi2: 38.2, ndf: 41 },
      best: { mLow: 3400, mHigh: 3700, observed: 420, expected: 310.5, sigmaB: 6.25, z: 5.9, zWithSigmaB: 5.1 },
      globalZ: { z: 2.58, toys: 200, lowerBound: true },
    };
    const skipped = { efficiency: 0.001, events: 150, signalEvents: null, skipped: '150 events in the mass range, fewer than the 200 a fit needs', fit: null, best: null, globalZ: null };
    const csv = bumpFitCsv({ cuts: [fitted, skipped] }, 'study s1');
    // Read back by Python's csv module, independently of the writer.
    const rows = JSON.parse(execFileSync('/usr/bin/python3', ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read())))))'], { input: csv, encoding: 'utf8' })) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(Number(rows[0].p1)).toBe(9.2);
    expect(Number(rows[0].p3_error)).toBe(0.01);
    expect([rows[0]['window_low [GeV]'], rows[0]['window_high [GeV]'], rows[0].observed, rows[0].expected]).toEqual(['3400', '3700', '420', '310.5']);
    expect([rows[0].sigma_b, rows[0].local_z, rows[0].local_z_with_sigma_b, rows[0].global_z, rows[0].global_z_is_lower_bound]).toEqual(['6.25', '5.9', '5.1', '2.58', 'true']);
    expect(rows[1].p0).toBe('');
    expect(rows[1].signal_events).toBe('');
    expect(rows[1].skipped).toBe(skipped.skipped);
    expect(() => bumpFitCsv({}, 'study s1')).toThrow(/study s1: the bump-hunt results have no cuts/);
  });
});
