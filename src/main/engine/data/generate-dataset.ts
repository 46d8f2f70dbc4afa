// Main-thread side of `datasets.generate`: the generator runs in a worker thread, reporting progress.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { GenerateResult } from '@shared/api';
import { startJob } from '../jobs/job-runner';
import type { TaskContext } from '../tasks';
import type { GenerateSpec } from './generate-file';

export async function generateDataset(spec: GenerateSpec, task: TaskContext): Promise<GenerateResult> {
  const out = resolve(spec.out);
  try {
    mkdirSync(dirname(out), { recursive: true });
  } catch (e) {
    throw new Error(`${out}: cannot create its folder (${(e as Error).message})`);
  }
  const job = startJob({ kind: 'generate-dataset', spec: { ...spec, out } }, (m) => {
    if (m.type === 'progress') task.progress(m.phase, m.done, m.total, m.unit);
  });
  task.onCancel(() => job.cancel());
  return job.result;
}
