// The desktop app itself, where an Electron binary exists (it cannot be downloaded on the CI
// machines, so there these tests are reported as skipped, with the reason on the console).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runAppFlow } from '../helpers/app-flow';
import { awb, ROOT, tempHome } from '../helpers/awb';
import { SHOTS } from '../helpers/browser-host';

function electronBinary(): { path?: string; reason?: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    return existsSync(path) ? { path } : { reason: `${path} does not exist` };
  } catch (e) {
    return { reason: (e as Error).message.split('\n')[0] };
  }
}

const binary = electronBinary();
if (!binary.path) console.warn(`Electron-only tests skipped: no Electron binary on this machine (${binary.reason})`);

const home = tempHome();
afterAll(() => home.cleanup());

describe.runIf(binary.path)('Electron app', () => {
  it('opens one secure window whose renderer reaches the engine only through the preload API', async () => {
    const app = await electron.launch({
      executablePath: binary.path!,
      args: [ROOT, '--home', home.dir],
      env: { ...process.env, AWB_NODE: process.execPath },
    });
    try {
      const page = await app.firstWindow();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      // No Node in the page (nodeIntegration off, sandboxed): only the bridged API.
      expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as { awb: object }).awb).sort())).toEqual(['call', 'onEvent', 'pickFile', 'printPdf']);
      const reply = await page.evaluate(() => (globalThis as unknown as { awb: { call(m: string, p: object): Promise<unknown> } }).awb.call('engine.info', {}));
      expect(JSON.stringify(reply)).toContain(home.dir);
    } finally {
      await app.close();
    }
  });

  it("prints an exported report with Electron's printer: vector text, A4, no network", async () => {
    const dir = tempHome();
    const html = join(dir.dir, 'report.html');
    const pdf = join(dir.dir, 'report.pdf');
    writeFileSync(html, '<!doctype html><title>r</title><h1>Inverted task report</h1><img src="https://example.org/x.png" alt=""><svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text x="5" y="30">Signal efficiency</text></svg>');
    const app = await electron.launch({ executablePath: binary.path!, args: [ROOT, '--home', home.dir], env: { ...process.env, AWB_NODE: process.execPath } });
    try {
      const page = await app.firstWindow();
      const printed = (await page.evaluate(`window.awb.printPdf(${JSON.stringify(html)}, ${JSON.stringify(pdf)})`)) as { pages: number };
      expect(printed.pages).toBe(1);
      // poppler (Debian's poppler-utils) reads the text back: the SVG stayed vector.
      const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain('Inverted task report');
      expect(text).toContain('Signal efficiency');
      expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
      // A relative path is refused in the main process.
      await expect(page.evaluate('window.awb.printPdf("report.html", "out.pdf")')).rejects.toThrow(/absolute path/);
    } finally {
      await app.close();
      dir.cleanup();
    }
  }, 120_000);

  it('runs the app flow: import, a quick study, its numbers, tags and filters, a comparison', async () => {
    const flowHome = tempHome();
    const file = join(flowHome.dir, 'top.h5');
    const r = awb(['generate', 'jets', '--process', 'top', '--n', '400', '--seed', '3', '--out', file]);
    expect(r.status, r.stderr).toBe(0);
    const app = await electron.launch({ executablePath: binary.path!, args: [ROOT, '--home', flowHome.dir], env: { ...process.env, AWB_NODE: process.execPath } });
    try {
      const page = await app.firstWindow();
      mkdirSync(SHOTS, { recursive: true });
      await runAppFlow({ page, home: flowHome.dir, file, shot: async (name) => void (await page.screenshot({ path: join(SHOTS, `electron-${name}.png`) })) });
    } finally {
      await app.close();
      flowHome.cleanup();
    }
  }, 600_000);
});
