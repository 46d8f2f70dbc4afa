import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newId, resolveRunId } from '../../../src/main/engine/registry/ids';
import { apiError } from './helpers';

// newId keeps per-process state so ids never go backwards; these tests use increasing clocks in order.
describe('newId', () => {
  it('is the type letter, 9 base36 time digits and 6 random digits', () => {
    const t = Date.UTC(2030, 0, 1);
    const id = newId('r', t);
    expect(id).toMatch(/^r[0-9a-z]{15}$/);
    expect(parseInt(id.slice(1, 10), 36)).toBe(t);
    expect(newId('d', t)).toMatch(/^d/);
  });

  it('sorts by creation time, also within one millisecond and across a clock step back', () => {
    const t = Date.UTC(2040, 0, 1);
    const ids = [newId('r', t), newId('r', t), newId('r', t), newId('r', t + 1), newId('r', t + 5_000)];
    // A clock that steps back must not produce an id sorting before the ones already handed out.
    ids.push(newId('r', t));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts as numbers of milliseconds do, across a change in the leading digit', () => {
    const a = newId('r', 36 ** 8 - 1); // 'zzzzzzzz' ms, in the year 2059
    const b = newId('r', 36 ** 8); // '100000000'
    expect(a < b).toBe(true);
  });
});

describe('resolveRunId', () => {
  let db: Database.Database;
  afterEach(() => db.close());

  const withRuns = (ids: string[]) => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE runs (id TEXT PRIMARY KEY)');
    for (const id of ids) db.prepare('INSERT INTO runs VALUES (?)').run(id);
  };

  it('accepts a full id and any unique prefix, case-insensitively', () => {
    withRuns(['rabc123', 'rabd456', 'rzzz999']);
    expect(resolveRunId(db, 'rabc123')).toBe('rabc123');
    expect(resolveRunId(db, 'rabc')).toBe('rabc123');
    expect(resolveRunId(db, 'RZ')).toBe('rzzz999');
  });

  it('names the prefix when it is ambiguous or unknown', () => {
    withRuns(['rabc123', 'rabd456', 'rabe789', 'rabf000']);
    const ambiguous = apiError(() => resolveRunId(db, 'rab'));
    expect(ambiguous.code).toBe('bad-request');
    expect(ambiguous.message).toBe('run prefix "rab" is ambiguous: it matches rabc123, rabd456, rabe789, …');
    const unknown = apiError(() => resolveRunId(db, 'rq'));
    expect(unknown.code).toBe('not-found');
    expect(unknown.message).toBe('no run matches "rq"');
    expect(apiError(() => resolveRunId(db, 'ra%')).message).toMatch(/no run matches "ra%"/);
    expect(apiError(() => resolveRunId(db, ' ')).code).toBe('bad-request');
  });
});
