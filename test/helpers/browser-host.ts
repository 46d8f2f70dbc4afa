// The browser host under test: `awb serve` on a fresh (or given) workbench home, and headless Debian
// Chromium on its URL, collecting page errors and CSP violations. Screenshots go to
// test-results/screenshots/.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = join(ROOT, 'test-results', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Waits for the UI; generous because training shares two cores with the rest of the suite. */
export const UI_WAIT = { timeout: 90_000 };

export interface BrowserHost {
  home: string;
  /** The URL `awb serve` printed, token included. */
  url: string;
  browser: Browser;
  page: Page;
  /** Page errors and console errors (CSP violations included) seen so far. */
  problems: string[];
  /** What the server wrote to stderr. */
  serverLog(): string;
  /** A full-page screenshot as test-results/screenshots/NAME.png. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts `awb serve --json` on `home` and resolves with the server and the URL it prints. */
function startServe(home: string, log: { text: string }): Promise<{ server: ChildProcessWithoutNullStreams; url: string }> {
  const server = spawn(process.execPath, [join(ROOT, 'bin', 'awb.js'), 'serve', '--port', '0', '--home', home, '--json'], { cwd: ROOT });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (line) resolve({ server, url: (JSON.parse(line) as { url: string }).url });
    });
    server.stderr.setEncoding('utf8').on('data', (chunk: string) => (log.text += chunk));
    server.on('exit', (code) => reject(new Error(`awb serve exited (code ${code}) before printing its URL:\n${out}${log.text}`)));
  });
}

/** Opens the browser host on a new home (removed on close) or on `opts.home` (kept). */
export async function openBrowserHost(opts: { home?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserHost> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`);
  mkdirSync(SHOTS, { recursive: true });
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'awb-e2e-'));
  const log = { text: '' };
  const { server, url } = await startServe(home, log);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: opts.colorScheme ?? 'light' });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  return {
    home,
    url,
    browser,
    page,
    problems,
    serverLog: () => log.text,
    shot: async (name) => {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await exited;
      }
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
}
