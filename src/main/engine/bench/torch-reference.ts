// Runs resources/bench/torch_reference.py, the PyTorch twin of the benchmark, with Debian's
// python3-torch (or the interpreter in $AWB_PYTHON) and reads back its JSON report.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { BenchPlan, ConvSpec, DenseSpec } from './bench-plan';

/** The interpreter with torch: $AWB_PYTHON, else Debian's (the PATH python3 may be a build without torch). */
export function torchPython(): string {
  return process.env.AWB_PYTHON || '/usr/bin/python3';
}

const SCRIPT = join('resources', 'bench', 'torch_reference.py');

/** The script, found by walking up from this module (src/main/engine/bench in development, out/main when bundled). */
export function torchScriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, SCRIPT);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bench: ${SCRIPT} not found above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = parent;
  }
}

const TorchReport = z.object({
  torch: z.string(),
  blas: z.string(),
  threads: z.number().int(),
  results: z.array(z.object({ name: z.string(), value: z.number(), unit: z.string() })),
});
export type TorchReport = z.infer<typeof TorchReport>;

export type TorchOutcome = { ok: true; report: TorchReport } | { ok: false; reason: string };

function modelArgs(plan: { dense: DenseSpec; conv: ConvSpec }): string[] {
  return [
    `--dense-input=${plan.dense.inputDim}`,
    `--dense-widths=${plan.dense.widths.join(',')}`,
    `--image-size=${plan.conv.imageSize}`,
    `--kernel-size=${plan.conv.kernelSize}`,
    `--bottleneck=${plan.conv.bottleneck}`,
  ];
}

type ScriptOutcome = { ok: true; stdout: string } | { ok: false; reason: string };

function runScript(args: string[], timeoutMs: number): Promise<ScriptOutcome> {
  const python = torchPython();
  return new Promise((resolve) => {
    execFile(python, [torchScriptPath(), ...args], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? `${python} not found (set AWB_PYTHON to a python with torch)`
            : stderr.includes("No module named 'torch'")
              ? `${python} has no torch module (Debian: apt install python3-torch libopenblas0; or set AWB_PYTHON)`
              : `${python} ${SCRIPT} failed: ${(stderr.trim().split('\n').pop() ?? '') || err.message}`;
        resolve({ ok: false, reason: why });
        return;
      }
      resolve({ ok: true, stdout });
    });
  });
}

function parseJson<T>(schema: z.ZodType<T>, stdout: string): { ok: true; value: T } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    return { ok: false, reason: `${SCRIPT} printed something that is not JSON: ${stdout.slice(0, 200)}` };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: `${SCRIPT} printed unexpected JSON: ${parsed.error.message}` };
}

/** Times both models in PyTorch on `threads` threads; never throws: a missing torch is an outcome. */
export async function runTorchReference(plan: BenchPlan, threads: number): Promise<TorchOutcome> {
  const args = [
    `--threads=${threads}`,
    `--batch=${plan.batchSize}`,
    `--dense-samples=${plan.dense.samples}`,
    `--conv-samples=${plan.conv.samples}`,
    `--warmup-batches=${plan.warmupBatches}`,
    `--seconds=${plan.seconds}`,
    `--min-batches=${plan.minBatches}`,
    ...modelArgs(plan),
  ];
  const run = await runScript(args, 15 * 60_000);
  if (!run.ok) return run;
  const parsed = parseJson(TorchReport, run.stdout);
  return parsed.ok ? { ok: true, report: parsed.value } : parsed;
}

/** Parameter counts of the PyTorch twins (`dense-ae`, `conv-ae`), to check the TF.js models against. */
export async function torchParameterCounts(models: { dense: DenseSpec; conv: ConvSpec }): Promise<Record<string, number>> {
  const run = await runScript(['--threads=1', '--params-only', ...modelArgs(models)], 120_000);
  if (!run.ok) throw new Error(`PyTorch parameter counts: ${run.reason}`);
  const parsed = parseJson(z.record(z.string(), z.number().int()), run.stdout);
  if (!parsed.ok) throw new Error(`PyTorch parameter counts: ${parsed.reason}`);
  return parsed.value;
}
