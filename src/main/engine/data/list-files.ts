// `files.list`: one folder's entries for the file picker of the browser host, which has no native dialog.
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiError, type FileEntry, type FileListing } from '@shared/api';

function entryOf(dir: string, name: string): FileEntry | null {
  const path = join(dir, name);
  try {
    // statSync follows links, so a link to a folder browses like a folder.
    const st = statSync(path);
    if (!st.isDirectory() && !st.isFile()) return null;
    return { name, path, kind: st.isDirectory() ? 'dir' : 'file', size: st.isDirectory() ? 0 : st.size, modified: st.mtime.toISOString() };
  } catch {
    return null; // a dangling link or an entry removed meanwhile is not worth failing the listing for
  }
}

/** The entries of `dir` (default: the user's home folder), folders first, each group by name. */
export function listFiles(dir: string = homedir()): FileListing {
  const full = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (e as Error).message})`;
    throw new ApiError(`folder ${full} ${why}`, code === 'ENOENT' ? 'not-found' : 'bad-request');
  }
  const entries = names.map((n) => entryOf(full, n)).filter((e): e is FileEntry => e !== null);
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, 'en') : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(full);
  return { dir: full, parent: parent === full ? null : parent, entries };
}
