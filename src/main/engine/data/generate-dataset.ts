// Main-thread side of `datasets.generate`: the generator runs in a worker thread, reporting progress.
import { resolve } from 'node:path';
import type { GenerateResult } from '@shared/api';
import { startJob } from '../jobs/job-runner';
import type { TaskContext } from '../tasks';
import type { GenerateSpec } from './generate-file';

export async function generateDataset(spec: GenerateSpec, task: TaskContext): Promise<GenerateResult> {
  const job = startJob({ kind: 'generate-dataset', spec: { ...spec, out: resolve(spec.out) } }, (m) => {
    if (m.type === 'progress') task.progress(m.phase, m.done, m.total, m.unit);
  });
  task.onCancel(() => job.cancel());
  return job.result;
}
