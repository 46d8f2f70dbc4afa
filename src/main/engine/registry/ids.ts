// Record ids: a letter for the record type (r run, d dataset, t task, s staging folder), the creation time
// in base36 (so ids sort by time), then randomness.
// Users name runs by any unique prefix of the id, as with git commits.
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ApiError } from '@shared/api';

const TIME_CHARS = 9; // 36^9 ms reaches past the year 5000, so ids keep sorting by time
const RANDOM_CHARS = 6;
const RANDOM_SPAN = 36 ** RANDOM_CHARS;
const ID_CHARS = /^[a-z0-9]+$/;

let last = { time: -1, random: 0 };

/**
 * A new id such as `r0mhx3k2a9f0q1z`. Within one process ids are strictly increasing even in the same
 * millisecond (the random part counts up); across processes uniqueness rests on 36^6 random values per ms.
 */
export function newId(type: 'r' | 'd' | 't' | 's', now: number = Date.now()): string {
  if (now > last.time) last = { time: now, random: randomInt(0, RANDOM_SPAN) };
  else if (last.random + 1 < RANDOM_SPAN) last = { time: last.time, random: last.random + 1 };
  else last = { time: last.time + 1, random: randomInt(0, RANDOM_SPAN) };
  return (
    type + last.time.toString(36).padStart(TIME_CHARS, '0') + last.random.toString(36).padStart(RANDOM_CHARS, '0')
  );
}

/** The full id of the one run whose id starts with `prefix`; ApiError naming the prefix when none or several do. */
export function resolveRunId(db: Database.Database, prefix: string): string {
  const p = prefix.trim().toLowerCase();
  if (p === '') throw new ApiError('run id is empty', 'bad-request');
  if (!ID_CHARS.test(p)) throw new ApiError(`no run matches "${prefix}" (run ids contain only a-z and 0-9)`, 'not-found');
  // A range scan on the primary key: every id with prefix p lies in [p, p + '~') because '~' sorts after a-z0-9.
  const matches = db
    .prepare<[string, string], string>('SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 4')
    .pluck()
    .all(p, p + '~');
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new ApiError(`no run matches "${prefix}"`, 'not-found');
  const shown = matches.slice(0, 3).join(', ') + (matches.length > 3 ? ', …' : '');
  throw new ApiError(`run prefix "${prefix}" is ambiguous: it matches ${shown}`, 'bad-request');
}
