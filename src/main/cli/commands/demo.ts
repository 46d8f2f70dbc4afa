import { resolve } from 'node:path';
import { defaultStudy } from '@shared/study/study-file';
import { DEFAULT_FORMATS, exportRun } from '../../engine/export/export-run';
import { parseStudyFile } from '../../engine/studies/study-report';
import { ENGINE_VERSION } from '../../engine/version';
import { UsageError, type Command } from '../command';
import { followRun } from '../run-progress';
import { exportText } from './export';

export const demo: Command = {
  name: 'demo',
  args: '[--quick] [--out DIR]',
  summary: 'the first thing to try: generate the built-in jets, run the inverted-task study (QCD ↔ top) and export its report',
  help: [
    '--quick            small samples, 2 epochs, one seed (a minute or two on two cores); without it the full study (3 seeds)',
    '--out DIR          where the export goes (default ./awb-demo-RUNID in the current folder)',
    'The study and its generated datasets land in the workbench home like any other; the report is report.html (and report.pdf',
    'where Chromium is found). Under --json: the export\'s {"id", "kind", "out", "files", "report"}.',
  ],
  options: { quick: { type: 'boolean' }, out: { type: 'string' } },
  minPositionals: 0,
  maxPositionals: 0,
  async run({ engine, values, out }) {
    const file = parseStudyFile(defaultStudy('inverted-task', Boolean(values.quick)), 'the demo study');
    const { findChromium } = await import('../../engine/export/report-pdf');
    let pdf = true;
    try {
      findChromium();
    } catch (e) {
      pdf = false;
      out.info(`${(e as Error).message}; the demo writes report.html only`);
    }
    const e = await engine();
    const run = await followRun(e, () => e.call('studies.run', { file }), out);
    if (run.status !== 'finished') throw new UsageError(`the demo study ${run.id} ${run.status}: ${run.error ?? 'no error recorded'}`);
    const dir = values.out === undefined ? resolve(`awb-demo-${run.id}`) : String(values.out);
    const r = await exportRun({ registry: e.registry, home: e.home, engineVersion: ENGINE_VERSION }, run.id, dir, {
      formats: DEFAULT_FORMATS.filter((f) => pdf || f !== 'pdf'),
    });
    out.result(r, exportText);
    return 0;
  },
};
