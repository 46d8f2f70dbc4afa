// The report page's parts: plots inlined without URLs or colliding ids, mean ± std cells, results of the
// inverted task, and an `awb train` command rebuilt from a configuration that the CLI's own parser accepts.
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TrainConfig } from '@shared/api';
import { train } from '../../../src/main/cli/commands/train';
import { inlineSvg, resultTables, summaryTable } from '../../../src/main/engine/export/report-html';
import { trainCommand } from '../../../src/main/engine/export/reproduce';

describe('inlineSvg', () => {
  it('drops the prolog and namespace URLs and prefixes every id and reference', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><clipPath id="plot-c0"><rect/></clipPath><g clip-path="url(#plot-c0)"><use href="#plot-c0"/></g></svg>';
    expect(inlineSvg(svg, 'p3')).toBe('<svg viewBox="0 0 10 10"><clipPath id="p3-plot-c0"><rect/></clipPath><g clip-path="url(#p3-plot-c0)"><use href="#p3-plot-c0"/></g></svg>');
  });
});

describe('results tables', () => {
  it('merges KEY and KEY_std into one cell and prints the inverted task both ways', () => {
    const t = summaryTable({ auc: 0.75, auc_std: 0.00036, model_independence: 0.25 });
    expect(t).toContain('<td>auc</td><td>0.7500 ± 0.0004</td>');
    expect(t).not.toContain('auc_std');
    expect(t).toContain('<td>model_independence</td><td>0.2500</td>');
    const r = resultTables('inverted-task', {
      directions: [
        { train: 'qcd', signal: 'top', auc: 0.81234, aucStd: 0.01, runs: ['r1', 'r2'] },
        { train: 'top', signal: 'qcd', auc: 0.4, aucStd: 0.02, runs: ['r3', 'r4'] },
      ],
      modelIndependence: 0.4,
      tagsBothWays: false,
      semiSupervised: null,
      variants: [],
    });
    expect(r).toContain('<td>qcd</td><td>top</td><td>0.8123 ± 0.0100</td><td>r1, r2</td>');
    expect(r).toContain('<td>top</td><td>qcd</td><td>0.4000 ± 0.0200</td>');
    expect(r).toMatch(/the worse AUC\): <strong>0.4000<\/strong>; tags both ways: no/);
  });
});

describe('trainCommand', () => {
  it('gives an `awb train` command that the CLI parses back to the same configuration', () => {
    const cfg = TrainConfig.parse({
      dataset: 'gen-jets-qcd-n500-s1',
      signal: ['top jets', 'w'],
      model: 'conv-ae',
      representation: { kind: 'jet-images', pixels: 16, range: 0.8, transform: 'sqrt' },
      epochs: 3,
      learningRate: 0.0005,
      annealing: true,
      lrSchedule: { kind: 'plateau', factor: 0.5, patience: 2, minLr: 1e-5 },
      earlyStopping: { patience: 4 },
      backend: 'cpu',
    });
    const { command, unexpressed } = trainCommand(cfg as Record<string, unknown>);
    expect(unexpressed).toEqual([]);
    expect(command).toContain("--signal 'top jets,w'");
    // Undo the shell quoting of this command (single quotes only), then parse with `awb train`'s own options.
    const words = command.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
    expect(words.slice(0, 2)).toEqual(['awb', 'train']);
    const { values } = parseArgs({ args: words.slice(2), options: { ...train.options, backend: { type: 'string' } }, strict: true });
    expect(values).toMatchObject({ dataset: cfg.dataset, model: 'conv-ae', representation: 'jet-images', pixels: '16', transform: 'sqrt', epochs: '3', lr: '0.0005', annealing: true, 'lr-plateau': '2', 'lr-min': '0.00001', 'early-stopping': '4', backend: 'cpu' });
  });

  it('names the settings no flag expresses', () => {
    const cfg = TrainConfig.parse({ dataset: 'd', model: 'dense-ae', representation: { kind: 'features', scale: true, columns: ['a'] }, lrSchedule: { kind: 'step-at', factor: 0.1, epochs: [5] } });
    expect(trainCommand(cfg as Record<string, unknown>).unexpressed).toEqual(['representation.columns', 'lrSchedule (step-at)']);
  });
});
