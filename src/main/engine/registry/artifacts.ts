// Run artifact files under `<home>/artifacts/<runId>/`, written so that a crash leaves either the complete
// file or none: write a temporary file, fsync it, rename it into place, fsync the folder.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiError } from '@shared/api';

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

function fsyncFolder(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeArtifactFile(home: string, runId: string, name: string, data: Uint8Array | string): StoredFile {
  checkArtifactName(name);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const path = artifactRelativePath(runId, name);
  const target = join(home, path);
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx');
  try {
    try {
      for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  fsyncFolder(dir);
  // The run folder may be new: make its entry in artifacts/ durable too.
  fsyncFolder(dirname(dir));
  return { path, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}
