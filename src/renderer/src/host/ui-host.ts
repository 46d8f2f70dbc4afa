import type { EngineHost } from '@shared/api';

/** The engine as the UI sees it, and which shell it runs in. */
export interface UiHost extends EngineHost {
  kind: 'electron' | 'browser';
}
