// What every screen needs from the app: the engine host and the live jobs, handed down once.
import { inject, type App, type InjectionKey } from 'vue';
import type { UiHost } from '../host/ui-host';
import type { JobsStore } from '../stores/jobs';

export interface Workbench {
  host: UiHost;
  jobs: JobsStore;
}

const KEY: InjectionKey<Workbench> = Symbol('workbench');

export function provideWorkbenchTo(app: App, w: Workbench): void {
  app.provide(KEY, w);
}

export function useWorkbench(): Workbench {
  const w = inject(KEY);
  if (!w) throw new Error('useWorkbench() called outside the app (no workbench provided)');
  return w;
}
