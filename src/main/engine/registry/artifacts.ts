// Run artifact files under `<home>/artifacts/<runId>/`, written durably (durable-file.ts).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiError } from '@shared/api';
import { fsyncFolder, writeFileDurably } from '../durable-file';

const ARTIFACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface StoredFile {
  /** Relative to the home, with forward slashes, so a home can move between machines. */
  path: string;
  bytes: number;
  sha256: string;
}

function checkArtifactName(name: string): void {
  if (!ARTIFACT_NAME.test(name)) {
    throw new ApiError(
      `artifact name "${name}" is not allowed: use 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      'bad-request',
    );
  }
}

function artifactRelativePath(runId: string, name: string): string {
  return `artifacts/${runId}/${name}`;
}

export function writeArtifactFile(home: string, runId: string, name: string, data: Uint8Array | string): StoredFile {
  checkArtifactName(name);
  const path = artifactRelativePath(runId, name);
  const target = join(home, path);
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const bytes = writeFileDurably(target, data);
  // The run folder may be new: make its entry in artifacts/ durable too.
  fsyncFolder(dirname(dir));
  return { path, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}
