// Prints the self-contained report.html to report.pdf with headless Chromium (playwright-core). Chromium's
// print path keeps inline SVG as vector paths and text, so the plots stay sharp and searchable. The
// Electron app uses this same path: printToPDF would need the Electron shell, the engine does not.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { pdfPageCount } from './pdf-pages';

const MISSING = 'PDF export needs Chromium: install it (Debian: apt-get install chromium) or set AWB_CHROMIUM=/path/to/chrome';
/** System Chromium installs, checked in order after AWB_CHROMIUM. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
/** Same flags as the e2e host: no sandbox (containers, root) and nothing that reaches the network. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Playwright's own downloaded browser, if `npx playwright install chromium` put one there. */
function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined; // this playwright-core build knows no browser for this platform
  }
}

/** The Chromium executable to print with: AWB_CHROMIUM (which must exist), else a system one, else Playwright's. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.AWB_CHROMIUM;
  if (override) {
    if (!existsSync(override)) throw new Error(`${MISSING} (AWB_CHROMIUM=${override} does not exist)`);
    return override;
  }
  const found = [...SYSTEM_CHROMIUM, playwrightChromium()].find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error(MISSING);
  return found;
}

/** Prints `htmlFile` (self-contained: no network is needed or allowed) to `pdfFile` on A4 with backgrounds. */
export async function printReportPdf(htmlFile: string, pdfFile: string): Promise<{ pages: number }> {
  if (!existsSync(htmlFile)) throw new Error(`HTML file ${htmlFile} does not exist`);
  const executablePath = findChromium();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true, preferCSSPageSize: false });
  } catch (e) {
    throw new Error(`printing ${htmlFile} to ${pdfFile} with ${executablePath} failed: ${(e as Error).message}`);
  } finally {
    await browser?.close();
  }
  return { pages: pdfPageCount(readFileSync(pdfFile), pdfFile) };
}
