import type { ApiErrorCode } from '@shared/api';

/** An engine call that failed, with the contract's error code so screens can react to it. */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: ApiErrorCode,
  ) {
    super(message);
    this.name = 'HostError';
  }
}
