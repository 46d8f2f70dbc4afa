// Shared by the registry tests: throw-away workbench homes and catching the ApiError a call throws.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ApiError } from '@shared/api';

/** Returns a maker of fresh homes in the OS temp folder; each is removed after its test. */
export function useTempHomes(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'awb-registry-'));
    made.push(dir);
    return dir;
  };
}

/** The ApiError `fn` throws; fails the test when it throws something else or nothing. */
export function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}
