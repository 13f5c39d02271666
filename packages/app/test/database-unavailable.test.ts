import { join } from 'node:path';
import { createTempDir, type TempDir, withAdmin } from '@lifetimes/databases';
import type {} from '@lifetimes/databases/vitest-setup';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
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

describe('databaseUnavailable, on errors real PostgreSQL raises', () => {
  /** The error the server answers `statement` with, after `settings` on the same session. */
  const pgErrorOf = (settings: string, statement: string) =>
    withAdmin(inject('pgAdminUrl'), async (client) => {
      await client.query(settings);
      return client.query(statement).then(
        () => {
          throw new Error(`expected an error from: ${statement}`);
        },
        (error: unknown) => error,
      );
    });

  it('names a statement cancelled on statement_timeout (57014): a 503, not a 500', async () => {
    const cancelled = await pgErrorOf('set statement_timeout = 50', 'select pg_sleep(2)');
    expect(cancelled).toMatchObject({ code: '57014' });
    expect(databaseUnavailable(cancelled)).toMatch(/^The database cancelled the query .*timeout/);
  });

  it('names a lock wait cancelled on lock_timeout (55P03)', async () => {
    await withAdmin(inject('pgAdminUrl'), async (holder) => {
      const key = Math.floor(Math.random() * 2 ** 30);
      await holder.query('select pg_advisory_lock($1)', [key]);
      const cancelled = await pgErrorOf('set lock_timeout = 50', `select pg_advisory_lock(${key})`);
      expect(cancelled).toMatchObject({ code: '55P03' });
      expect(databaseUnavailable(cancelled)).toMatch(/^The database cancelled the query .*lock/);
    });
  });

  it('leaves the request’s own errors alone: a unique violation, a syntax error', async () => {
    const duplicate = await pgErrorOf(
      'create temporary table t (x int primary key)',
      'insert into t values (1), (1)',
    );
    expect(duplicate).toMatchObject({ code: '23505' });
    expect(databaseUnavailable(duplicate)).toBeUndefined();
    const syntax = await pgErrorOf('select 1', 'selec 1');
    expect(syntax).toMatchObject({ code: '42601' });
    expect(databaseUnavailable(syntax)).toBeUndefined();
  });
});
