// NumPy .npz reader: a zip archive of .npy members, stored (np.savez) or deflated (np.savez_compressed).
// Reads the central directory, so sizes are right even when members use data descriptors; handles the zip64
// extra fields that NumPy writes (it opens every member with force_zip64).
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { parseNpy, type NpyArray } from './npy';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const U32_MAX = 0xffffffff;

function fail(name: string, problem: string): never {
  throw new Error(`${name}: ${problem}`);
}

/** Parses .npz bytes into arrays keyed by member name without the '.npy' suffix (np.load's keys). */
export function parseNpz(bytes: Uint8Array, name: string): Record<string, NpyArray> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (o: number) => (o + 4 <= bytes.length ? view.getUint32(o, true) : fail(name, 'truncated zip archive'));
  const u16 = (o: number) => (o + 2 <= bytes.length ? view.getUint16(o, true) : fail(name, 'truncated zip archive'));
  // The end-of-central-directory record is the last 22 bytes plus a comment of at most 65535 bytes.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--) {
    if (view.getUint32(o, true) === EOCD) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) fail(name, 'not a .npz file (no zip end-of-central-directory record)');
  const entries = u16(eocd + 10);
  let p = u32(eocd + 16);
  if (p === U32_MAX) fail(name, 'zip64 archives with a central directory beyond 4 GiB are not supported');
  const out: Record<string, NpyArray> = {};
  for (let k = 0; k < entries; k++) {
    if (u32(p) !== CENTRAL) fail(name, 'corrupt zip central directory');
    const method = u16(p + 10);
    let compSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let local = u32(p + 42);
    if (p + 46 + nameLen > bytes.length) fail(name, 'truncated zip archive');
    const member = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extra: 8-byte values for exactly those of (size, compressed size, offset) that are 0xFFFFFFFF above.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; e += 4 + u16(e + 2)) {
      if (u16(e) !== ZIP64_EXTRA) continue;
      let f = e + 4;
      const big = () => {
        const v = Number(view.getBigUint64(f, true));
        f += 8;
        return v;
      };
      if (size === U32_MAX) size = big();
      if (compSize === U32_MAX) compSize = big();
      if (local === U32_MAX) local = big();
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (u32(local) !== LOCAL) fail(name, `corrupt zip local header for '${member}'`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + compSize > bytes.length) fail(name, `truncated data for '${member}'`);
    const raw = bytes.subarray(start, start + compSize);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = new Uint8Array(inflateRawSync(raw));
      } catch (err) {
        fail(name, `cannot inflate '${member}': ${(err as Error).message}`);
      }
    } else fail(name, `member '${member}' uses zip compression method ${method}; only stored (0) and deflate (8) are supported`);
    if (data.length !== size) fail(name, `member '${member}' has ${data.length} bytes, the directory says ${size}`);
    out[member.replace(/\.npy$/, '')] = parseNpy(data, `${name}[${member}]`);
  }
  return out;
}

/** Reads a .npz file from disk. */
export async function readNpz(path: string): Promise<Record<string, NpyArray>> {
  return parseNpz(new Uint8Array(await readFile(path)), path);
}
