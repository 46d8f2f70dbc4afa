// End to end: the real CLI's browser host (`awb serve`) on a fresh workbench home, driven in
// headless Chromium the way a user would: backends, a self-test with live progress (cancelled,
// then one that finishes), the runs table, a run's loss chart, tags and filters, reload, theme.
// Screenshots of each screen go to test-results/screenshots/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowserHost, UI_WAIT, type BrowserHost } from '../helpers/browser-host';

let host: BrowserHost;
let home: string;
let url: string;
let page: Page;
let problems: string[];
let cancelledRun = '';
let finishedRun = '';

const shot = (name: string) => host.shot(name);
const nav = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
const progress = () => page.getByRole('progressbar', { name: 'Self-test progress' });
const jobStatus = () => page.getByTestId('selftest-status');

async function startSelftest(fields: Record<string, string>): Promise<string> {
  await nav('Self-test');
  await page.locator('select[name=backend] option[value=wasm]:not([disabled])').waitFor({ state: 'attached', ...UI_WAIT });
  await page.locator('select[name=backend]').selectOption('wasm');
  for (const [name, value] of Object.entries(fields)) await page.locator(`input[name=${name}]`).fill(value);
  const link = page.getByRole('link', { name: /Open run/ });
  const previous = (await link.count()) > 0 ? await link.textContent() : null;
  await page.getByRole('button', { name: 'Start self-test' }).click();
  await expect.poll(() => link.textContent(), UI_WAIT).not.toBe(previous);
  return (await link.locator('.mono').textContent())!.trim();
}

beforeAll(async () => {
  host = await openBrowserHost();
  ({ home, url, page, problems } = host);
});

afterAll(async () => {
  await host?.close();
});

describe('the browser host UI', () => {
  it('serves on 127.0.0.1 with a token, and the page takes the token out of the address bar', async () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(new URL(url).searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const refused = await fetch(new URL('/', url));
    expect(refused.status).toBe(403);
    await page.goto(url);
    await expect.poll(() => new URL(page.url()).searchParams.has('token')).toBe(false);
  });

  it('shows the engine and the compute backends, wasm and cpu available', async () => {
    await expect.poll(() => page.getByTestId('engine-info').textContent(), UI_WAIT).toContain(home);
    const table = page.getByTestId('backends-table');
    await table.locator('tr[data-backend=wasm][data-available=true]').waitFor(UI_WAIT);
    await table.locator('tr[data-backend=cpu][data-available=true]').waitFor(UI_WAIT);
    expect(await table.locator('tbody tr').count()).toBe(5);
    await shot('home');
  });

  it('runs a self-test on wasm with live progress, and cancels it', async () => {
    cancelledRun = await startSelftest({ epochs: '300', samples: '8192' });
    // A few percent in, so the bar and the live loss chart have something to show.
    await expect.poll(async () => Number(await progress().getAttribute('aria-valuenow')), UI_WAIT).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId('selftest-epoch').textContent(), UI_WAIT).toMatch(/^\d+ \/ 300$/);
    await expect.poll(() => page.getByTestId('selftest-batch').textContent()).toMatch(/^\d+ \/ \d+$/);
    await expect.poll(() => page.getByTestId('selftest-rate').textContent()).toMatch(/^[\d,]+ samples\/s$/);
    expect(await page.getByTestId('selftest-loss').textContent()).toMatch(/^\d/);
    expect(await jobStatus().getAttribute('data-status')).toBe('running');
    await shot('selftest-running');
    await page.getByTestId('selftest-job').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => jobStatus().getAttribute('data-status'), UI_WAIT).toBe('cancelled');
  });

  it('runs a self-test on wasm to the end', async () => {
    finishedRun = await startSelftest({ epochs: '3', samples: '4096' });
    expect(finishedRun).not.toBe(cancelledRun);
    await expect.poll(() => jobStatus().getAttribute('data-status'), UI_WAIT).toBe('finished');
    expect(await progress().getAttribute('aria-valuenow')).toBe('100');
    await expect.poll(() => page.getByTestId('selftest-job').getByTestId('loss-chart').getAttribute('data-points')).toBe('6');
    await shot('selftest-finished');
  });

  it('lists both runs in the runs table with their status and backend', async () => {
    await nav('Runs');
    const finished = page.locator(`[data-testid=runs-table] tr[data-run-id=${finishedRun}]`);
    await finished.waitFor(UI_WAIT);
    expect(await finished.locator('[data-status]').getAttribute('data-status')).toBe('finished');
    expect(await finished.textContent()).toContain('wasm');
    expect(await page.locator(`tr[data-run-id=${cancelledRun}] [data-status]`).getAttribute('data-status')).toBe('cancelled');
    await shot('runs');
  });

  it('opens a run and shows its loss chart, artifacts and config', async () => {
    await page.locator(`tr[data-run-id=${finishedRun}]`).click();
    const chart = page.getByTestId('loss-chart');
    await expect.poll(() => chart.getAttribute('data-points'), UI_WAIT).toBe('6');
    const label = (await chart.getAttribute('aria-label'))!;
    expect(label).toContain('train 3 points');
    expect(label).toContain('validation 3 points');
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('artifacts-table').textContent()).toContain('model.json');
    expect(await page.getByTestId('run-config').textContent()).toContain('"backend": "wasm"');
    // Hovering shows the tooltip, built without inline styles (checked by the CSP test below).
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.chart-tooltip').waitFor(UI_WAIT);
    await shot('run-detail');
  });

  it('adds and removes tags, adds a note, and filters the runs by tag, status and text', async () => {
    await page.getByRole('textbox', { name: 'New tag' }).fill('baseline');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.locator('.tag-list [data-tag=baseline]').waitFor(UI_WAIT);
    await page.getByRole('textbox', { name: 'New tag' }).fill('scratch');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('button', { name: 'Remove tag scratch' }).click();
    await expect.poll(() => page.locator('.tag-list [data-tag]').count()).toBe(1);
    await page.getByRole('textbox', { name: 'New note' }).fill('wasm baseline for the e2e test');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('wasm baseline for the e2e test').waitFor(UI_WAIT);

    const rows = page.locator('[data-testid=runs-table] tbody tr');
    await nav('Runs');
    await expect.poll(() => rows.count(), UI_WAIT).toBe(2);
    await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('baseline');
    await expect.poll(() => rows.count(), UI_WAIT).toBe(1);
    expect(await rows.first().getAttribute('data-run-id')).toBe(finishedRun);
    expect(new URL(page.url()).hash).toContain('tag=baseline');
    await shot('runs-filtered');

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('combobox', { name: 'Filter by status' }).selectOption('cancelled');
    await expect.poll(() => rows.first().getAttribute('data-run-id'), UI_WAIT).toBe(cancelledRun);
    expect(await rows.count()).toBe(1);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('searchbox', { name: 'Search runs' }).fill('e2e test');
    await expect.poll(() => rows.count(), UI_WAIT).toBe(1);
    expect(await rows.first().getAttribute('data-run-id')).toBe(finishedRun);
  });

  it('keeps working after a reload, filters included', async () => {
    await page.reload();
    const rows = page.locator('[data-testid=runs-table] tbody tr');
    await expect.poll(() => rows.count(), UI_WAIT).toBe(1);
    expect(await page.getByRole('searchbox', { name: 'Search runs' }).inputValue()).toBe('e2e test');
  });

  it('follows the OS dark theme', async () => {
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).not.toBe(light);
    await nav('Home');
    await page.getByTestId('backends-table').waitFor(UI_WAIT);
    await shot('home-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('loaded nothing it was refused and broke no Content Security Policy rule', () => {
    expect(problems).toEqual([]);
  });
});
