// Messages between a host process (the Electron shell) and the engine child process it forks.
import type { ApiReply, JobEvent } from '@shared/api';

export type ToEngine = { type: 'call'; id: number; method: unknown; params: unknown } | { type: 'close' };

export type FromEngine =
  | { type: 'ready'; home: string }
  | { type: 'reply'; id: number; reply: ApiReply }
  | { type: 'event'; event: JobEvent }
  | { type: 'fatal'; message: string };
