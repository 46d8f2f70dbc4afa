import type { EngineHost, PickFileOptions } from '@shared/api';

/** The engine as the UI sees it, and which shell it runs in. */
export interface UiHost extends EngineHost {
  kind: 'electron' | 'browser';
  /** The native open-file dialog (Electron only; the browser host lists files through `files.list`). */
  pickFile?: (options: PickFileOptions) => Promise<string | null>;
}
