import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { StudyReport } from '@shared/api';
import { commentedStudy, STUDY_KINDS, type StudyKind } from '@shared/study/study-file';
import { UsageError, type Command } from '../command';
import { followRun } from '../run-progress';
import { parseStudyFile } from '../../engine/studies/study-report';

/** What `study run` and `study show` print: the study's numbers and, per child run, its headline metrics. */
function reportJson(r: StudyReport) {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    error: r.error,
    metrics: r.metrics,
    children: r.children.map((c) => ({ id: c.id, name: c.name, status: c.status, seed: c.seed, auc: c.summary.auc ?? null, rejection: c.summary.rejection ?? null })),
  };
}

function reportText(r: ReturnType<typeof reportJson>): string {
  const lines = [`study ${r.id} (${r.kind}) ${r.status}${r.error ? `: ${r.error}` : ''} — ${r.name}`];
  if (r.metrics) lines.push(JSON.stringify(r.metrics, (_key, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(5)) : v), 2));
  for (const c of r.children) lines.push(`  ${c.id}  ${c.status.padEnd(9)} seed ${c.seed ?? '—'}  AUC ${c.auc?.toFixed(4) ?? '—'}  ${c.name}`);
  return lines.join('\n');
}

/** A study file's document: YAML for .yaml/.yml files (comments allowed), JSON otherwise. */
function readStudyText(path: string): unknown {
  const yaml = /\.ya?ml$/i.test(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}: cannot be read (${(err as Error).message})`);
  }
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: cannot be read as ${yaml ? 'YAML' : 'JSON'} (${(err as Error).message.split('\n')[0]})`);
  }
}

export const study: Command = {
  name: 'study',
  args: 'init KIND --out FILE | run FILE | show ID',
  summary: 'guided studies of the papers: write a starting study file, run one (a parent run with child runs), show one',
  help: [
    `init KIND [--quick] --out FILE   a commented starting file (KIND: ${STUDY_KINDS.join(', ')}); --quick: small samples, few epochs`,
    'run FILE                         runs the study on the built-in generators or stored datasets, as the file says',
    '                                 (JSON; YAML when the name ends in .yaml or .yml, for init too)',
    'show ID                          the study\'s results and its child runs',
    'Under --json, run and show print {"id", "kind", "status", "metrics": {...}, "children": [...]}.',
  ],
  options: { out: { type: 'string' }, quick: { type: 'boolean' } },
  minPositionals: 2,
  maxPositionals: 2,
  async run({ engine, values, positionals, out }) {
    const [action, arg] = positionals;
    if (action === 'init') {
      if (!STUDY_KINDS.includes(arg as StudyKind)) throw new UsageError(`study init: unknown kind ${JSON.stringify(arg)} (one of ${STUDY_KINDS.join(', ')})`);
      if (values.out === undefined) throw new UsageError('study init: --out FILE is required');
      const file = String(values.out);
      if (existsSync(file)) throw new UsageError(`${file} already exists; choose another --out`);
      const doc = commentedStudy(arg as StudyKind, Boolean(values.quick));
      writeFileSync(file, /\.ya?ml$/i.test(file) ? stringifyYaml(doc) : `${JSON.stringify(doc, null, 2)}\n`);
      out.result({ kind: arg, out: file }, (r) => `wrote a ${r.kind} study to ${r.out}; run it with: awb study run ${r.out}`);
      return 0;
    }
    const e = await engine();
    if (action === 'run') {
      // Checked here too so that a mistake is reported against the file's name, not the API's field.
      const file = parseStudyFile(readStudyText(arg), arg);
      const run = await followRun(e, () => e.call('studies.run', { file }), out);
      const r = reportJson(await e.call('studies.show', { id: run.id }));
      out.result(r, reportText);
      return r.status === 'finished' ? 0 : r.status === 'cancelled' ? 130 : 1;
    }
    if (action === 'show') {
      out.result(reportJson(await e.call('studies.show', { id: arg })), reportText);
      return 0;
    }
    throw new UsageError(`study: unknown action ${JSON.stringify(action)} (init, run or show)`);
  },
};
