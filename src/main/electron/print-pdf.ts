// Electron's own printer for exported reports (the CLI prints with headless Chromium instead): the
// self-contained report.html in a hidden, sandboxed window without scripts or network, to an A4 PDF.
import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';
import { pdfPageCount } from '../engine/export/pdf-pages';

/** The report may load nothing but itself (its plots are inline SVG). */
const PRINT_PARTITION = 'awb-print';

export async function printReportInShell(htmlFile: unknown, pdfFile: unknown): Promise<{ pages: number }> {
  if (typeof htmlFile !== 'string' || !isAbsolute(htmlFile) || !htmlFile.endsWith('.html')) throw new Error('print: the report must be an absolute path to an .html file');
  if (typeof pdfFile !== 'string' || !isAbsolute(pdfFile) || !pdfFile.endsWith('.pdf')) throw new Error('print: the output must be an absolute path to a .pdf file');
  if (!existsSync(htmlFile)) throw new Error(`print: ${htmlFile} does not exist`);
  const url = pathToFileURL(htmlFile).href;
  const printing = session.fromPartition(PRINT_PARTITION);
  printing.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== url }));
  const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, javascript: false, session: printing } });
  try {
    await win.loadURL(url);
    const pdf = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    writeFileSync(pdfFile, pdf);
    return { pages: pdfPageCount(pdf, pdfFile) };
  } catch (e) {
    throw new Error(`printing ${htmlFile} to ${pdfFile} failed: ${(e as Error).message}`);
  } finally {
    win.destroy();
  }
}
