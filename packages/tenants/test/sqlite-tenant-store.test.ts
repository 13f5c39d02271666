import { parseDatabaseUrl } from '@lifetimes/core';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTenantCatalog, parseTenantId } from '../src/index.js';

const refuseQueries = async () => {
  throw new Error('a SQLite catalog runs no query on the default database');
};

describe('the SQLite tenant catalog', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await createTempDir('lifetimes-catalog');
  });
  afterEach(() => dir.remove());

  it("gives every tenant's URL the default database's size quota", async () => {
    const target = parseDatabaseUrl(`${dir.sqliteUrl('app.db')}?max_page_count=64`);
    const catalog = createTenantCatalog(target, refuseQueries);
    const url = await catalog.provision(parseTenantId('acme'));
    expect(url).toBe(`sqlite:${dir.path}/tenants/acme.db?max_page_count=64`);
    expect(parseDatabaseUrl(url)).toMatchObject({ maxPageCount: 64 });
  });

  it('adds nothing to tenant URLs when the default database has no quota', async () => {
    const catalog = createTenantCatalog(parseDatabaseUrl(dir.sqliteUrl('app.db')), refuseQueries);
    expect(catalog.urlOf(parseTenantId('acme'))).toBe(`sqlite:${dir.path}/tenants/acme.db`);
  });
});
