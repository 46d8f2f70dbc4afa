// Worker side of an import: open the file with its format's reader and stream it into the staging folder.
import { openSource } from '../data/formats';
import { writeDataset, type StagedDataset } from '../data/store/write-dataset';
import type { ImportDatasetJob, WorkerMessage } from './protocol';

export async function importDatasetJob(job: ImportDatasetJob, post: (m: WorkerMessage) => void, shouldStop: () => boolean): Promise<StagedDataset> {
  const source = await openSource(job.path, job.format, job.options);
  try {
    return await writeDataset(source, job.staging, {
      limit: job.limit,
      chunkRows: job.chunkRows,
      split: job.split,
      options: { ...job.options, ...(job.limit !== undefined ? { limit: job.limit } : {}) },
      onProgress: (done, total) => post({ type: 'progress', phase: 'read', done, total, unit: 'rows' }),
      shouldStop,
    });
  } finally {
    source.close();
  }
}
