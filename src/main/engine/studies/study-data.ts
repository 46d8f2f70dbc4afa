// The datasets of a study: stored ones by name, or built-in generator runs made once per spec in the
// workbench home (`generated/`) and imported under a name derived from the spec, so a study re-run (or
// another study on the same spec) reuses them.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type DatasetInfo } from '@shared/api';
import type { StudyDataset } from '@shared/study/study-file';
import { generateDataset } from '../data/generate-dataset';
import { importDataset } from '../data/import-dataset';
import type { Registry } from '../registry/registry';
import type { TaskContext } from '../tasks';

/** The dataset name of a generator spec, e.g. `gen-jets-top-n5000-s1`, `gen-manifold-n3000-s1-shape=circle-…`. */
export function generatedName(g: Extract<StudyDataset, { generate: unknown }>['generate']): string {
  if (g.kind === 'jets' || g.kind === 'events') return `gen-${g.kind}-${g.process}-n${g.n}-s${g.seed}`;
  const { kind, n, seed, ...rest } = g;
  const options = Object.entries(rest)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${String(v)}`);
  return [`gen-${kind}-n${n}-s${seed}`, ...options].join('-');
}

export async function studyDataset(registry: Registry, home: string, d: StudyDataset, task: TaskContext): Promise<DatasetInfo> {
  if ('dataset' in d) return registry.getDataset(d.dataset);
  const name = generatedName(d.generate);
  const existing = registry.listDatasets().find((x) => x.name === name);
  if (existing) return existing;
  const dir = join(home, 'generated');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${name}.h5`);
  if (!existsSync(out)) await generateDataset({ ...d.generate, out }, task);
  try {
    return await importDataset(registry, home, { path: out, name, format: 'auto', split: { fractions: [0.6, 0.2, 0.2], seed: 0 } }, task);
  } catch (e) {
    throw e instanceof ApiError ? e : new Error(`study data ${name}: ${(e as Error).message}`);
  }
}
