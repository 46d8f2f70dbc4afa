// printReportPdf against poppler-utils (pdftotext, pdfinfo) as the independent reader of the PDF.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printReportPdf } from '../../../src/main/engine/export/report-pdf';

const dir = mkdtempSync(join(tmpdir(), 'awb-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pdftotext = (pdf: string): string => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
const pdfinfoPages = (pdf: string): number => Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);

function htmlFile(name: string, body: string): string {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head><body>${body}</body></html>`);
  return file;
}

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">
  <rect x="40" y="20" width="340" height="240" fill="none" stroke="#000"/>
  <path d="M40 260 L120 120 L380 40" stroke="#c00" fill="none"/>
  <text x="210" y="290" text-anchor="middle" font-size="14">Signal efficiency QXZ</text>
</svg>`;

describe('printReportPdf', () => {
  it('prints a page whose HTML text and inline-SVG text stay text (vector), with the page count pdfinfo reads', async () => {
    const pdf = join(dir, 'one.pdf');
    const { pages } = await printReportPdf(htmlFile('one', `<h1>Report headline KWV</h1>${SVG}`), pdf);
    const text = pdftotext(pdf);
    expect(text).toContain('Report headline KWV');
    // A rasterised SVG would leave no text behind: finding the axis label proves the plot stayed vector.
    expect(text).toContain('Signal efficiency QXZ');
    // …and no raster image was embedded in its place (pdfimages lists two header lines and no images).
    expect(execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2);
    expect(pages).toBe(1);
    expect(pdfinfoPages(pdf)).toBe(pages);
  });

  it('honours CSS page breaks: three sections give three A4 pages', async () => {
    const sections = [1, 2, 3].map((i) => `<section>Section ${i} marker</section>`).join('');
    const pdf = join(dir, 'three.pdf');
    const { pages } = await printReportPdf(htmlFile('three', `<style>section + section { break-before: page }</style>${sections}`), pdf);
    expect(pages).toBe(3);
    expect(pdfinfoPages(pdf)).toBe(3);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:.*\(A4\)/);
    const perPage = pdftotext(pdf).split('\f');
    expect(perPage.slice(0, 3).map((p) => p.trim())).toEqual(['Section 1 marker', 'Section 2 marker', 'Section 3 marker']);
  });

  it('names what is missing when no Chromium can be found', async () => {
    const saved = process.env.AWB_CHROMIUM;
    process.env.AWB_CHROMIUM = '/nonexistent/chrome';
    try {
      await expect(printReportPdf(htmlFile('x', 'x'), join(dir, 'x.pdf'))).rejects.toThrow(
        /PDF export needs Chromium: install it \(Debian: apt-get install chromium\) or set AWB_CHROMIUM=\/path\/to\/chrome.*\/nonexistent\/chrome/,
      );
    } finally {
      if (saved === undefined) delete process.env.AWB_CHROMIUM;
      else process.env.AWB_CHROMIUM = saved;
    }
  });

  it('refuses an HTML file that does not exist, naming it', async () => {
    await expect(printReportPdf(join(dir, 'absent.html'), join(dir, 'absent.pdf'))).rejects.toThrow(/absent\.html does not exist/);
  });
});
