// Runs a Python reference script (Debian's python3 with NumPy, SciPy, scikit-learn) on a JSON request:
// `script in.json out.json`. Typed arrays go over as lists; 'inf', '-inf' and 'nan' come back as numbers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const revive = (_key: string, v: unknown) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : v);
const plain = (_key: string, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v);

export function runPythonJson<T>(script: string, request: Record<string, unknown>): T {
  const dir = mkdtempSync(join(tmpdir(), 'awb-python-'));
  try {
    writeFileSync(join(dir, 'in.json'), JSON.stringify(request, plain));
    execFileSync('/usr/bin/python3', [script, join(dir, 'in.json'), join(dir, 'out.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'), revive) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
