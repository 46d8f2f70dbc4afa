// Runs metrics_reference.py (scikit-learn, NumPy, SciPy under Debian's python3) on a JSON request.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, 'metrics_reference.py');

const revive = (_key: string, v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);

/** Typed arrays go over as plain lists. */
const plain = (_key: string, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v);

export function pythonReference<T>(request: Record<string, unknown>): T {
  const dir = mkdtempSync(join(tmpdir(), 'awb-metrics-'));
  try {
    writeFileSync(join(dir, 'in.json'), JSON.stringify(request, plain));
    execFileSync('/usr/bin/python3', [SCRIPT, join(dir, 'in.json'), join(dir, 'out.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'), revive) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
