// Opens the registry database with the settings every connection needs, and brings its schema up to date.
import Database from 'better-sqlite3';
import { assertKnownVersion, migrate } from './migrations';

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Checked before the journal mode is set: switching to WAL rewrites the file header of a database
    // that a newer workbench may own.
    assertKnownVersion(db);
    // WAL lets readers (the UI, `awb runs`) work while a training process writes; synchronous=FULL makes
    // every committed transaction survive a power cut, so a finished run is never lost by a later crash.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch to WAL journal mode (got "${String(mode)}")`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    const message = (e as Error).message;
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw new Error(`registry ${file} is not a SQLite database`);
    throw new Error(message.includes(file) ? message : `registry ${file}: ${message}`);
  }
}
