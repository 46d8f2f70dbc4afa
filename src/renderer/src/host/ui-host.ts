import type { EngineHost, PickFileOptions } from '@shared/api';

/** The engine as the UI sees it, and which shell it runs in. */
export interface UiHost extends EngineHost {
  kind: 'electron' | 'browser';
  /** The native open-file dialog (Electron only; the browser host lists files through `files.list`). */
  pickFile?: (options: PickFileOptions) => Promise<string | null>;
  /** Electron's printer for exported reports (the browser host's engine prints with headless Chromium). */
  printPdf?: (htmlFile: string, pdfFile: string) => Promise<{ pages: number }>;
}
