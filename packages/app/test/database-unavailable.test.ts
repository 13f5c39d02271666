import { join } from 'node:path';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseUnavailable } from '../src/http/database-unavailable.js';

/** The error `fn` throws on a real SQLite database, for the classifier to judge. */
function errorOf(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('databaseUnavailable, on errors real SQLite raises', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await createTempDir('lifetimes-unavailable');
  });
  afterEach(() => dir.remove());
  const open = (name: string) => new Database(join(dir.path, name));

  it('names a full database (SQLITE_FULL)', () => {
    const db = open('full.db');
    db.exec('create table t (x blob)');
    db.pragma('max_page_count = 8');
    const full = errorOf(() => {
      for (let i = 0; i < 100; i++) db.prepare('insert into t values (zeroblob(4096))').run();
    });
    db.close();
    expect(databaseUnavailable(full)).toMatch(/full/);
  });

  it('names a write lock held past the busy timeout (SQLITE_BUSY)', () => {
    const holder = open('busy.db');
    holder.exec('create table t (x int)');
    holder.exec('begin immediate');
    const waiter = new Database(holder.name, { timeout: 0 });
    const busy = errorOf(() => waiter.exec('begin immediate'));
    waiter.close();
    holder.exec('rollback');
    holder.close();
    expect(databaseUnavailable(busy)).toMatch(/locked by another writer/);
  });

  it('leaves the request’s own errors alone: a constraint, a syntax error', () => {
    const db = open('own.db');
    db.exec('create table t (x int primary key)');
    db.exec('insert into t values (1)');
    expect(databaseUnavailable(errorOf(() => db.exec('insert into t values (1)')))).toBeUndefined();
    expect(databaseUnavailable(errorOf(() => db.exec('selec 1')))).toBeUndefined();
    db.close();
    expect(databaseUnavailable(new Error('plain'))).toBeUndefined();
  });
});
