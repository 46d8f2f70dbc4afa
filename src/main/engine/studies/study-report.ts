// Reading studies: a study file checked against its schema (errors name the field), and a finished or
// running study as `awb study show` reports it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type StudyReport } from '@shared/api';
import { StudyFile, type ResolvedStudy } from '@shared/study/study-file';
import type { Registry } from '../registry/registry';

export function parseStudyFile(file: unknown, source = 'study file'): ResolvedStudy {
  const r = StudyFile.safeParse(file);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ApiError(`${source}: ${i.path.join('.') || 'the file'}: ${i.message}`, 'bad-request');
  }
  return r.data;
}

export function studyReport(registry: Registry, idOrPrefix: string): StudyReport {
  const run = registry.getRun(idOrPrefix);
  if (run.kind !== 'study') throw new ApiError(`run ${run.id} is a ${run.kind} run, not a study`, 'bad-request');
  const results = run.artifacts.find((a) => a.name === 'results.json');
  const stored = results ? (JSON.parse(readFileSync(join(registry.home, results.path), 'utf8')) as { metrics: Record<string, unknown>; plots?: Record<string, unknown> }) : null;
  return {
    id: run.id,
    kind: (run.config as ResolvedStudy).kind,
    name: run.name,
    status: run.status,
    error: run.error,
    metrics: stored?.metrics ?? null,
    plots: stored?.plots ?? null,
    children: registry.listRuns({ parentId: run.id }),
  };
}
