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

/** One member of a zip archive, as its central directory describes it. */
export interface ZipMember {
  member: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compSize: number;
  size: number;
  /** Offset of the member's local header in the archive. */
  localOffset: number;
}

function reader(bytes: Uint8Array, name: string) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    view,
    u32: (o: number) => (o + 4 <= bytes.length ? view.getUint32(o, true) : fail(name, 'truncated zip archive')),
    u16: (o: number) => (o + 2 <= bytes.length ? view.getUint16(o, true) : fail(name, 'truncated zip archive')),
  };
}

/** Bytes from the end of an archive that always hold its end-of-central-directory record. */
export const ZIP_TAIL_BYTES = 22 + 0xffff;

/**
 * Finds the central directory from the archive's last bytes (`tail`, the whole archive or at least its last
 * ZIP_TAIL_BYTES): its archive offset and member count.
 */
export function findCentralDirectory(tail: Uint8Array, name: string): { offset: number; entries: number } {
  const { view, u16, u32 } = reader(tail, name);
  // The end-of-central-directory record is the last 22 bytes plus a comment of at most 65535 bytes.
  let eocd = -1;
  for (let o = tail.length - 22; o >= Math.max(0, tail.length - 22 - 0xffff); o--) {
    if (view.getUint32(o, true) === EOCD) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) fail(name, 'not a .npz file (no zip end-of-central-directory record)');
  const offset = u32(eocd + 16);
  if (offset === U32_MAX) fail(name, 'zip64 archives with a central directory beyond 4 GiB are not supported');
  return { offset, entries: u16(eocd + 10) };
}

/** Parses `entries` central-directory records from `dir` (the archive from the directory's offset on). */
export function parseCentralDirectory(dir: Uint8Array, entries: number, name: string): ZipMember[] {
  const { view, u16, u32 } = reader(dir, name);
  const out: ZipMember[] = [];
  let p = 0;
  for (let k = 0; k < entries; k++) {
    if (u32(p) !== CENTRAL) fail(name, 'corrupt zip central directory');
    const method = u16(p + 10);
    let compSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let localOffset = u32(p + 42);
    if (p + 46 + nameLen > dir.length) fail(name, 'truncated zip archive');
    const member = new TextDecoder().decode(dir.subarray(p + 46, p + 46 + nameLen));
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
      if (localOffset === U32_MAX) localOffset = big();
    }
    p += 46 + nameLen + extraLen + commentLen;
    out.push({ member, method, compSize, size, localOffset });
  }
  return out;
}

/** Bytes of a local header to read to learn where a member's data starts. */
export const ZIP_LOCAL_HEADER_BYTES = 30;

/** Length of the member's local header (its data follows), from its first ZIP_LOCAL_HEADER_BYTES bytes. */
export function localHeaderLength(local: Uint8Array, m: ZipMember, name: string): number {
  const { u16, u32 } = reader(local, name);
  if (u32(0) !== LOCAL) fail(name, `corrupt zip local header for '${m.member}'`);
  return 30 + u16(26) + u16(28);
}

/** A member's uncompressed bytes from its raw (stored or deflated) data. */
export function unpackMember(raw: Uint8Array, m: ZipMember, name: string): Uint8Array {
  let data: Uint8Array;
  if (m.method === 0) data = raw;
  else if (m.method === 8) {
    try {
      data = new Uint8Array(inflateRawSync(raw));
    } catch (err) {
      fail(name, `cannot inflate '${m.member}': ${(err as Error).message}`);
    }
  } else fail(name, `member '${m.member}' uses zip compression method ${m.method}; only stored (0) and deflate (8) are supported`);
  if (data.length !== m.size) fail(name, `member '${m.member}' has ${data.length} bytes, the directory says ${m.size}`);
  return data;
}

/** np.load's key for a member: its name without the '.npy' suffix. */
export const npzKey = (member: string): string => member.replace(/\.npy$/, '');

/** Parses .npz bytes into arrays keyed by member name without the '.npy' suffix (np.load's keys). */
export function parseNpz(bytes: Uint8Array, name: string): Record<string, NpyArray> {
  const dir = findCentralDirectory(bytes, name);
  const out: Record<string, NpyArray> = {};
  for (const m of parseCentralDirectory(bytes.subarray(dir.offset), dir.entries, name)) {
    const start = m.localOffset + localHeaderLength(bytes.subarray(m.localOffset), m, name);
    if (start + m.compSize > bytes.length) fail(name, `truncated data for '${m.member}'`);
    const data = unpackMember(bytes.subarray(start, start + m.compSize), m, name);
    out[npzKey(m.member)] = parseNpy(data, `${name}[${m.member}]`);
  }
  return out;
}

/** Reads a .npz file from disk. */
export async function readNpz(path: string): Promise<Record<string, NpyArray>> {
  return parseNpz(new Uint8Array(await readFile(path)), path);
}
