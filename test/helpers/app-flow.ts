// The flow a physicist follows in the app, driven the same way in the browser host and in Electron:
// import a generated file through the wizard, run a quick inverted-task study through its wizard and watch
// it, check the results' AUC table against the registry, tag a run and find it by the tag filter, and
// compare the study's two runs. Screenshots of each screen are taken with `shot`.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { awbJson } from './awb';

const WAIT = { timeout: 90_000 };
/** The whole study: two 300-jet samples, one epoch per direction, one seed; generous for two shared cores. */
const STUDY_WAIT = { timeout: 300_000, interval: 1000 };

interface StudyShow {
  status: string;
  metrics: { directions: { train: string; signal: string; auc: number }[]; table: { classes: string[] } };
  children: { id: string }[];
}

export interface FlowOptions {
  page: Page;
  home: string;
  /** A Top Tagging file made by `awb generate jets` (400 top jets). */
  file: string;
  shot: (name: string) => Promise<void>;
}

/** Goes to a screen by its hash (a page load would need the browser host's token again). */
const go = (page: Page, path: string) => page.evaluate(`window.location.hash = ${JSON.stringify(path)}`);

export async function runAppFlow({ page, home, file, shot }: FlowOptions): Promise<void> {
  // Import through the wizard.
  await go(page, '/data/import');
  await page.getByLabel('File to import').fill(file);
  await page.getByRole('button', { name: 'Next: preview' }).click();
  await expect.poll(() => page.getByTestId('inspect-rows').textContent(), WAIT).toBe('400');
  await shot('flow-import-preview');
  await page.getByRole('button', { name: 'Next: name and import' }).click();
  await page.getByLabel('Dataset name').fill('flow-top');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-done').waitFor(WAIT);
  expect(awbJson<{ rows: number }>(['datasets', 'flow-top', '--home', home]).rows).toBe(400);

  // A quick inverted-task study through its wizard, followed to the end.
  await go(page, '/studies/new/inverted-task');
  await page.getByRole('heading', { name: 'New study: Inverted task' }).waitFor(WAIT);
  const field = (path: string) => page.locator(`[name="${path}"]`);
  await page.locator('button[data-step="seeds"]').click();
  await page.getByRole('checkbox', { name: /Quick mode/ }).check();
  await page.locator('button[data-step="data"]').click();
  await field('a.data.generate.n').fill('300');
  await field('b.data.generate.n').fill('300');
  await page.locator('button[data-step="model"]').click();
  await field('model.epochs').fill('1');
  await page.locator('button[data-step="summary"]').click();
  await shot('flow-study-summary');
  await page.getByRole('button', { name: 'Launch study' }).click();
  await expect.poll(() => /#\/studies\/[^/]+$/.test(page.url()), WAIT).toBe(true);
  const studyId = decodeURIComponent(page.url().split('/studies/')[1]);
  await page.locator('[data-testid=study-children] tbody tr').first().waitFor(STUDY_WAIT);
  await shot('flow-study-running');
  await expect.poll(() => page.getByTestId('study-status').getAttribute('data-status'), STUDY_WAIT).toMatch(/^(finished|failed|cancelled)$/);
  expect(await page.getByTestId('study-status').getAttribute('data-status')).toBe('finished');

  // The results show the registry's numbers.
  const show = awbJson<StudyShow>(['study', 'show', studyId, '--home', home]);
  const table = page.getByTestId('auc-table');
  await table.waitFor(WAIT);
  for (const d of show.metrics.directions) {
    const cell = table.locator('tbody tr').nth(show.metrics.table.classes.indexOf(d.train)).locator('td').nth(show.metrics.table.classes.indexOf(d.signal));
    expect((await cell.textContent())?.trim()).toBe(d.auc.toFixed(3));
  }
  await page.getByTestId('plot-roc').waitFor(WAIT);
  await shot('flow-study-results');

  // Tag one of its runs and find it by the tag filter.
  const [first, second] = show.children.map((c) => c.id);
  await go(page, `/runs/${first}`);
  await page.getByRole('textbox', { name: 'New tag' }).fill('flow');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.locator('.tag-list [data-tag=flow]').waitFor(WAIT);
  await go(page, '/runs');
  await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('flow');
  await expect.poll(() => page.locator('tr[data-run-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id'))), WAIT).toEqual([first]);
  await shot('flow-runs-tagged');
  await page.getByRole('button', { name: 'Clear' }).click();

  // Compare the two directions' runs: they differ in their datasets.
  for (const id of [first, second]) await page.getByRole('checkbox', { name: `Select run ${id}` }).check();
  await page.getByTestId('compare-button').click();
  await page.getByRole('checkbox', { name: 'Differences only' }).check();
  const keys = page.locator('[data-testid=config-diff] tbody tr');
  await expect.poll(() => keys.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key'))), WAIT).toContain('dataset');
  await shot('flow-compare');
}
