// Raw arrays dumped by the Python references (tofile, little-endian), as typed arrays.
import { readFileSync } from 'node:fs';

/** The file's bytes in a fresh, aligned ArrayBuffer (a Buffer's may be shared and unaligned). */
export function fileBuffer(path: string): ArrayBuffer {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}
