// The app's main flow on the browser host, end to end (issue 6's done-when): import through the wizard, a quick
// inverted-task study through its wizard, its results against the registry, tags and filters, a comparison.
// The same flow runs in Electron in electron.test.ts where a binary exists.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAppFlow } from '../helpers/app-flow';
import { awb } from '../helpers/awb';
import { openBrowserHost, type BrowserHost } from '../helpers/browser-host';

let host: BrowserHost;

beforeAll(async () => {
  host = await openBrowserHost();
  await host.page.goto(host.url);
});

afterAll(async () => {
  await host?.close();
});

describe('the app on the browser host', () => {
  it('imports, runs a study, shows its numbers, finds a tagged run and compares two', async () => {
    const file = join(host.home, 'top.h5');
    const r = awb(['generate', 'jets', '--process', 'top', '--n', '400', '--seed', '3', '--out', file]);
    expect(r.status, r.stderr).toBe(0);
    await runAppFlow({ page: host.page, home: host.home, file, shot: (name) => host.shot(name) });
    expect(host.problems).toEqual([]);
  }, 600_000);

  it('is reachable from the keyboard: Tab walks the navigation with a visible focus ring, Enter opens a screen', async () => {
    const { page } = host;
    await page.evaluate('window.location.hash = "#/"');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const visited: string[] = [];
    for (let i = 0; i < 12 && !visited.includes('Settings'); i++) {
      await page.keyboard.press('Tab');
      const focus = (await page.evaluate(`(() => {
        const el = document.activeElement;
        const style = el ? getComputedStyle(el) : null;
        return { text: el?.textContent?.trim() ?? '', outline: style ? style.outlineStyle + ' ' + style.outlineWidth : '' };
      })()`)) as { text: string; outline: string };
      visited.push(focus.text);
      // A visible ring: some outline style other than none, at least 1 px wide.
      if (['Data', 'Studies', 'Settings'].includes(focus.text)) expect(focus.outline).toMatch(/^(?!none)\w+ [1-9]/);
    }
    expect(visited).toEqual(expect.arrayContaining(['Home', 'Runs', 'Data', 'Studies', 'Settings']));
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await host.shot('settings');
  });
});
