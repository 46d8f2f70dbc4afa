// End to end: a quick inverted-task study through its wizard on the browser host — choose the kind,
// load the quick defaults, shrink the samples (a validation message first), check the study file in the
// summary, launch, watch the child runs, and check that the results' AUC table shows the numbers
// `awb study show --json` reports from the registry. Screenshots of each step go to test-results/screenshots/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awbJson } from '../helpers/awb';
import { openBrowserHost, UI_WAIT, type BrowserHost } from '../helpers/browser-host';

/** The whole study: two 300-jet samples, one epoch per direction, one seed; generous for two shared cores. */
const STUDY_WAIT = { timeout: 240_000, interval: 1000 };

let host: BrowserHost;
let page: Page;
let studyId = '';

const field = (path: string) => page.locator(`[name="${path}"]`);
const step = (name: string) => page.locator(`button[data-step="${name}"]`);
/** Goes to a screen by its hash (a page load would need the session token again). */
const go = (path: string) => page.evaluate(`window.location.hash = ${JSON.stringify(path)}`);

interface StudyShow {
  id: string;
  kind: string;
  status: string;
  metrics: { directions: { train: string; signal: string; auc: number }[]; modelIndependence: number; table: { classes: string[]; auc: (number | null)[][] } };
  children: { id: string; status: string }[];
}

beforeAll(async () => {
  host = await openBrowserHost();
  page = host.page;
  await page.goto(host.url);
});

afterAll(async () => {
  await host?.close();
});

describe('the study wizard and the study screen', () => {
  it('lists studies and offers every study kind with its paper', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Studies' }).click();
    await page.getByRole('heading', { name: 'Studies' }).waitFor(UI_WAIT);
    await page.getByText('No studies yet.').waitFor(UI_WAIT);
    await page.getByRole('link', { name: 'New study' }).click();
    const kinds = page.getByRole('list', { name: 'Study kinds' }).locator('a[data-kind]');
    await expect.poll(() => kinds.count(), UI_WAIT).toBe(6);
    expect(await page.locator('a[data-kind=inverted-task]').textContent()).toContain('Finke');
    await host.shot('study-kinds');
    await page.locator('a[data-kind=inverted-task]').click();
    await page.getByRole('heading', { name: 'New study: Inverted task' }).waitFor(UI_WAIT);
  });

  it('starts the wizard of every kind from a valid study file', async () => {
    for (const kind of ['train-evaluate', 'mass-decorrelation', 'bump-hunt', 'topology', 'representation']) {
      await go(`/studies/new/${kind}`);
      await page.getByRole('heading', { name: /^New study: / }).waitFor(UI_WAIT);
      await step('model').click();
      expect(await page.getByRole('button', { name: 'Launch study' }).isDisabled(), kind).toBe(false);
      expect(await page.locator('[data-error-for]').count(), kind).toBe(0);
      if (kind === 'mass-decorrelation') await host.shot('study-wizard-mass-decorrelation-model');
    }
    await go('/studies/new/inverted-task');
    await page.getByRole('heading', { name: 'New study: Inverted task' }).waitFor(UI_WAIT);
  });

  it('loads the quick defaults, and shows a bad size at its field with launch disabled', async () => {
    await step('seeds').click();
    await page.getByRole('checkbox', { name: /Quick mode/ }).check();
    await field('name').fill('e2e inverted task');
    await expect.poll(() => field('seeds').inputValue()).toBe('1');
    await host.shot('study-wizard-seeds');

    await step('data').click();
    expect(await field('a.data.generate.n').inputValue()).toBe('1500');
    await field('a.data.generate.n').fill('0');
    const error = page.locator('[data-error-for="a.data.generate.n"]');
    await expect.poll(() => error.textContent(), UI_WAIT).toBe('must be at least 1');
    // The message is the input's description, so a screen reader reads it with the field.
    const describedBy = (await field('a.data.generate.n').getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));
    expect(await field('a.data.generate.n').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Launch study' }).isDisabled()).toBe(true);
    await host.shot('study-wizard-data-invalid');

    await field('a.data.generate.n').fill('300');
    await field('b.data.generate.n').fill('300');
    await expect.poll(() => error.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Launch study' }).isDisabled()).toBe(false);
    await host.shot('study-wizard-data');
  });

  it('sets the training and shows the study file in the summary', async () => {
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: '2 · Model & training' }).waitFor(UI_WAIT);
    expect(await field('model.model').inputValue()).toBe('conv-ae');
    await field('model.epochs').fill('1');
    // A preprocessing variant gets its own representation fields; removed again to keep the study quick.
    await page.getByRole('button', { name: 'Add a preprocessing variant' }).click();
    const variant = page.locator('fieldset[data-slot="variants.0"]');
    expect(await variant.locator('legend').textContent()).toBe('Preprocessing variant 1');
    await field('variants.0.representation.transform').selectOption('log1p-1000');
    await host.shot('study-wizard-model');
    await variant.getByRole('button', { name: 'Remove preprocessing variant 1' }).click();
    await expect.poll(() => variant.count()).toBe(0);
    await step('summary').click();
    const json = JSON.parse((await page.getByTestId('study-json').textContent()) ?? '') as Record<string, any>;
    expect(json.kind).toBe('inverted-task');
    expect(json.name).toBe('e2e inverted task');
    expect(json.a.data.generate).toEqual({ kind: 'jets', process: 'qcd', n: 300, seed: 1 });
    expect(json.b.data.generate).toEqual({ kind: 'jets', process: 'top', n: 300, seed: 2 });
    expect(json.model.epochs).toBe(1);
    expect(json.seeds).toEqual([1]);
    await host.shot('study-wizard-summary');
  });

  it('launches the study and follows its child runs to the end', async () => {
    await page.getByRole('button', { name: 'Launch study' }).click();
    await expect.poll(() => /#\/studies\/[^/]+$/.test(page.url()), UI_WAIT).toBe(true);
    studyId = decodeURIComponent(page.url().split('/studies/')[1]);
    expect(studyId).not.toBe('new');
    const status = page.getByTestId('study-status');
    await page.locator('[data-testid=study-children] tbody tr').first().waitFor(STUDY_WAIT);
    await host.shot('study-running');
    await expect.poll(() => status.getAttribute('data-status'), STUDY_WAIT).toMatch(/^(finished|failed|cancelled)$/);
    const banners = (await page.getByRole('alert').allTextContents()).join('\n');
    expect(await status.getAttribute('data-status'), `${banners}\n${host.serverLog()}`).toBe('finished');
    expect(await page.getByTestId('children-count').textContent()).toBe('2 of 2 finished');
  });

  it('shows the AUC table with the numbers the registry holds, and the plots', async () => {
    const show = awbJson<StudyShow>(['study', 'show', studyId, '--home', host.home]);
    expect(show.status).toBe('finished');
    expect(show.metrics.directions).toHaveLength(2);
    const table = page.getByTestId('auc-table');
    await table.waitFor(UI_WAIT);
    const classes = show.metrics.table.classes;
    expect(classes).toEqual(['qcd', 'top']);
    for (const d of show.metrics.directions) {
      // Row = trained on, column = tagged; the header row and the row's header cell come first.
      const r = classes.indexOf(d.train);
      const c = classes.indexOf(d.signal);
      const cell = table.locator('tbody tr').nth(r).locator('td').nth(c);
      expect((await cell.textContent())?.trim()).toBe(d.auc.toFixed(3));
      const row = page.locator(`[data-testid=directions-table] tr[data-train="${d.train}"][data-signal="${d.signal}"] td[data-value]`);
      expect(Number(await row.getAttribute('data-value'))).toBe(d.auc);
    }
    const mi = page.locator('[data-testid=study-headline] tr[data-metric=modelIndependence] td');
    expect(Number(await mi.getAttribute('data-value'))).toBe(show.metrics.modelIndependence);
    await page.getByTestId('plot-roc').waitFor(UI_WAIT);
    expect(await page.getByTestId('plot-roc').getByRole('img').getAttribute('aria-label')).toBe('ROC per direction');
    // The ROC plot draws the registry's numbers: its "Copy data" CSV equals the study's stored ROC points
    // (those a log axis can show: ε_S > 0 and a finite rejection).
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
    await page.getByTestId('plot-roc').getByRole('button', { name: /^Copy the data of/ }).click();
    const csv = (await page.evaluate('navigator.clipboard.readText()') as string).trim().split('\n');
    expect(csv[0]).toBe('curve,signal_efficiency,background_rejection');
    const study = awbJson<{ artifacts: { name: string; path: string }[] }>(['show', studyId, '--home', host.home]);
    const results = JSON.parse(readFileSync(join(host.home, study.artifacts.find((a) => a.name === 'results.json')!.path), 'utf8')) as { plots: { roc: { tpr: number[]; rejection: number[] }[] } };
    const stored = results.plots.roc.flatMap((c) => c.tpr.map((t, i) => [t, c.rejection[i]]).filter(([t, r]) => t > 0 && Number.isFinite(r) && r > 0));
    const drawn = csv.slice(1).map((line) => line.split(',').slice(-2).map(Number));
    expect(drawn).toEqual(stored);
    expect(await page.locator('figure[data-testid^="plot-scores-"]').count()).toBe(2);
    expect(await page.locator('figure[data-testid^="plot-image-"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.plot-problem').count()).toBe(0);
    for (const child of show.children) expect(await page.locator(`a[href="#/runs/${child.id}"]`).count()).toBeGreaterThan(0);
    await host.shot('study-results');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Studies' }).click();
    await page.locator(`[data-testid=studies-table] tr[data-run-id="${studyId}"]`).waitFor(UI_WAIT);
  });

  it('cancels a running study from its screen', async () => {
    await go('/studies/new/inverted-task');
    await step('seeds').click();
    await page.getByRole('checkbox', { name: /Quick mode/ }).check();
    await step('data').click();
    // The same samples as before (reused from the store), and training long enough to be caught running.
    await field('a.data.generate.n').fill('300');
    await field('b.data.generate.n').fill('300');
    await step('model').click();
    await field('model.epochs').fill('200');
    await page.getByRole('button', { name: 'Launch study' }).click();
    await expect.poll(() => /#\/studies\/[^/]+$/.test(page.url()) && !page.url().endsWith(studyId), UI_WAIT).toBe(true);
    const status = page.getByTestId('study-status');
    await page.getByRole('progressbar', { name: /^Progress of / }).first().waitFor(STUDY_WAIT);
    await page.getByRole('button', { name: 'Cancel study' }).click();
    await expect.poll(() => status.getAttribute('data-status'), STUDY_WAIT).toBe('cancelled');
    await expect.poll(() => page.getByRole('button', { name: 'Cancel study' }).count()).toBe(0);
    await host.shot('study-cancelled');
    expect(host.problems).toEqual([]);
  });
});
