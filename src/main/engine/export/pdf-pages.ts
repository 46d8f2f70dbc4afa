// How many pages a PDF has, read from its page tree: pure, so the Electron shell's printer can use it too.

/** Page count from the PDF's page tree root (/Type /Pages … /Count N): the root holds the largest count. */
export function pdfPageCount(pdf: Buffer, file: string): number {
  const text = pdf.toString('latin1');
  let pages = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)) {
    pages = Math.max(pages, Number(m[1] ?? m[2]));
  }
  if (pages < 1) throw new Error(`PDF file ${file}: no page tree (/Type /Pages /Count) found`);
  return pages;
}
