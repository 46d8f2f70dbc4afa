// End to end: "Export report…" on a finished run's page in the browser host. A tiny `awb train` run on
// generated jets; the panel exports html + csv + svg with a plot label to a folder the test chooses; the
// files the success message lists must be exactly the files on disk, and the choices must be honoured
// (a report, SVG plots carrying the label, CSV data, no PDF or PNG).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awbJson } from '../helpers/awb';
import { openBrowserHost, UI_WAIT, type BrowserHost } from '../helpers/browser-host';

const home = mkdtempSync(join(tmpdir(), 'awb-e2e-export-'));
const H = ['--home', home];
let host: BrowserHost;
let runId = '';

/** Every file under `dir`, relative to it, '/'-separated. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

beforeAll(async () => {
  for (const [process, n, seed] of [['qcd', 600, 2], ['top', 300, 1]] as const) {
    const out = join(home, `${process}.h5`);
    awbJson(['generate', 'jets', '--process', process, '--n', String(n), '--seed', String(seed), '--out', out, ...H]);
    awbJson(['import', out, '--name', process, ...H]);
  }
  const train = ['train', '--dataset', 'qcd', '--signal', 'top', '--model', 'dense-ae', '--representation', 'jet-observables', '--widths', '8,2', '--epochs', '1', '--seed', '1'];
  runId = awbJson<{ id: string }>([...train, ...H]).id;
  host = await openBrowserHost({ home });
  await host.page.goto(host.url);
}, 120_000);

afterAll(async () => {
  await host?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('exporting a run from its page', () => {
  it('writes the chosen formats to the chosen folder and lists exactly the files written', async () => {
    const { page } = host;
    await page.evaluate(`window.location.hash = '#/runs/${runId}'`);
    const open = page.getByRole('button', { name: 'Export report…' });
    await open.waitFor(UI_WAIT);
    await open.click();
    const panel = page.getByTestId('export-panel');
    const folder = panel.getByLabel('Output folder');
    await expect.poll(() => folder.inputValue(), UI_WAIT).toBe(`${home}/exports/${runId}`);
    const out = join(home, 'exports', 'paper-figures');
    await folder.fill(out);
    for (const f of ['html', 'pdf', 'png', 'svg', 'csv', 'npy']) {
      const box = panel.locator(`input[name=format-${f}]`);
      await box.setChecked(['html', 'csv', 'svg'].includes(f));
    }
    await panel.getByLabel('Plot label (optional)').fill('Simulation, √s = 13 TeV');
    await host.shot('export-panel-form');
    await panel.getByRole('button', { name: 'Export', exact: true }).click();

    const success = panel.getByTestId('export-success');
    await success.waitFor(UI_WAIT);
    expect(await panel.getByTestId('export-out').textContent()).toBe(out);
    const listed = (await panel.getByTestId('export-files').locator('li').allTextContents()).map((t) => t.trim()).sort();
    const onDisk = filesUnder(out);
    expect(listed).toEqual(onDisk);
    expect(await success.textContent()).toContain(`Exported ${onDisk.length} files`);

    expect(onDisk).toContain('report.html');
    const svgs = onDisk.filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThan(0);
    expect(onDisk.some((f) => f.endsWith('.csv'))).toBe(true);
    expect(onDisk.filter((f) => /\.(pdf|png|npy)$/.test(f))).toEqual([]);
    for (const svg of svgs) expect(readFileSync(join(out, svg), 'utf8')).toMatch(/<svg[\s>]/);
    expect(svgs.some((svg) => readFileSync(join(out, svg), 'utf8').includes('13 TeV'))).toBe(true);

    await host.shot('export-panel');
    expect(host.problems).toEqual([]);
  });
});
