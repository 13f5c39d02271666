import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backends } from '@lifetimes/databases';
import { expect, it } from 'vitest';
import { ADMIN_TOKEN, type AppContext } from './app-context.js';
import { type CallResult, call } from './http-call.js';

const REFUSED_IDS = ['..', '../x', ':memory:', 'UPPER', 'a'.repeat(64), 'a/b', '%2e%2e', ''];
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** POST /tenants with the admin credential. */
function provision(base: string, id: string): Promise<CallResult> {
  return call(base, 'POST', '/tenants', { json: { id }, headers: ADMIN });
}

/**
 * Tenants (`x-tenant`, `POST /tenants`): isolated, and validated before
 * anything is touched.
 */
export function tenantCases(ctx: AppContext): void {
  /** Tenant databases that exist: files beside the default database, or PostgreSQL databases named after it. */
  const tenantDatabases = async (): Promise<string[]> => {
    if (ctx.dialect === 'sqlite') {
      try {
        return readdirSync(join(dirname(ctx.url.slice('sqlite:'.length)), 'tenants')).sort();
      } catch {
        return [];
      }
    }
    const name = new URL(ctx.url).pathname.slice(1);
    const rows = await ctx.adminQuery<{ datname: string }>(
      'select datname from pg_database where datname like $1 order by datname',
      [`${name}\\_\\_%`],
    );
    return rows.map((row) => row.datname);
  };

  it('POST /tenants provisions a seeded database once: 201, then 409', async () => {
    const { base } = await ctx.serve();
    const created = await provision(base, 'acme-1');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'acme-1', worlds: 10_000, accounts: 100 });
    const again = await provision(base, 'acme-1');
    expect(again.status).toBe(409);
    const total = await call(base, 'GET', '/accounts/total', { headers: { 'x-tenant': 'acme-1' } });
    expect(total.body).toEqual({ total: 100_000, count: 100 });
  });

  it('refuses bad tenant ids with a 400 before any file or database exists, and unknown ones with a 404', async () => {
    const { base } = await ctx.serve();
    const before = await tenantDatabases();
    for (const id of REFUSED_IDS) {
      const header = await call(base, 'GET', '/db', { headers: { 'x-tenant': id } });
      expect(header.status, `x-tenant: ${JSON.stringify(id)}`).toBe(400);
      const provisioned = await provision(base, id);
      expect(provisioned.status, `POST /tenants ${JSON.stringify(id)}`).toBe(400);
    }
    const unknown = await call(base, 'GET', '/db', { headers: { 'x-tenant': 'nobody-here' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: expect.stringContaining('POST /tenants') });
    expect(await tenantDatabases()).toEqual(before);
  });

  it("keeps each tenant's rows to itself", async () => {
    const { base } = await ctx.serve();
    for (const id of ['iso-a', 'iso-b']) {
      expect((await provision(base, id)).status).toBe(201);
    }
    const as = (tenant: string) => ({ 'x-tenant': tenant });
    const credentials = { username: 'tenant-author', password: 'secret' };
    await call(base, 'POST', '/auth/register', { json: credentials, headers: as('iso-a') });
    const login = await call(base, 'POST', '/auth/login', {
      json: credentials,
      headers: as('iso-a'),
    });
    const token = (login.body as { token: string }).token;
    const posted = await call(base, 'POST', '/posts', {
      json: { title: 'only in a', body: 'x' },
      headers: { ...as('iso-a'), authorization: `Bearer ${token}` },
    });
    expect(posted.status).toBe(201);
    const titles = async (headers: Record<string, string>) =>
      ((await call(base, 'GET', '/posts', { headers })).body as { title: string }[]).map(
        (p) => p.title,
      );
    expect(await titles(as('iso-a'))).toEqual(['only in a']);
    expect(await titles(as('iso-b'))).toEqual([]);
    expect(await titles({})).not.toContain('only in a');
    // B has no such user: logging in there must fail, not borrow A's table.
    const elsewhere = await call(base, 'POST', '/auth/login', {
      json: credentials,
      headers: as('iso-b'),
    });
    expect(elsewhere.status).toBe(401);
  });

  it("serves a tenant with the app's own lifetime, and closes the tenant's connections with the app", async () => {
    const { base, strategy, applicationName } = await ctx.serve();
    expect((await provision(base, 'life-t')).status).toBe(201);
    const whoami = async (headers: Record<string, string>) =>
      (await call(base, 'GET', '/whoami', { headers })).body as {
        strategy: string;
        connections: string[];
      };
    const onDefault = await whoami({});
    const onTenant = await whoami({ 'x-tenant': 'life-t' });
    expect(onTenant.strategy).toBe(ctx.spec.name);
    const [a, b] = onTenant.connections;
    if (ctx.spec.connectionPer === 'query') expect(b).not.toBe(a);
    if (ctx.spec.connectionPer === 'scope') expect(b).toBe(a);
    // The tenant's queries ran on its own database's connections.
    expect(onTenant.connections).not.toContain(onDefault.connections[0]);
    if (ctx.dialect === 'postgres') {
      const tenantBackends = async () =>
        (await backends(ctx.url, { applicationName })).filter((session) =>
          session.database?.endsWith('__life-t'),
        );
      await call(base, 'GET', '/queries?queries=3', { headers: { 'x-tenant': 'life-t' } });
      await strategy.close();
      expect(await tenantBackends()).toEqual([]);
    } else {
      await strategy.close();
    }
    const { opened, closed, scopesOpen } = strategy.stats();
    expect(opened).toBeGreaterThan(0);
    expect(closed).toBe(opened);
    expect(scopesOpen).toBe(0);
  });

  it('POST /tenants needs the admin credential: 403 with none configured, 401 without or with a wrong one', async () => {
    const before = await tenantDatabases();
    const disabled = await ctx.serve({ adminToken: undefined });
    const off = await provision(disabled.base, 'guarded');
    expect(off.status).toBe(403);
    expect(off.body).toEqual({ error: expect.stringContaining('ADMIN_TOKEN') });
    const { base } = await ctx.serve();
    const bare = await call(base, 'POST', '/tenants', { json: { id: 'guarded' } });
    expect(bare.status).toBe(401);
    expect(bare.body).toEqual({ error: expect.stringContaining('Authorization: Bearer') });
    const wrong = await call(base, 'POST', '/tenants', {
      json: { id: 'guarded' },
      headers: { authorization: `Bearer ${ADMIN_TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    expect(await tenantDatabases()).toEqual(before);
    // The scheme name is case-insensitive.
    const lower = await call(base, 'POST', '/tenants', {
      json: { id: 'guarded' },
      headers: { authorization: `bearer ${ADMIN_TOKEN}` },
    });
    expect(lower.status).toBe(201);
  });

  it('POST /tenants refuses a tenant past MAX_TENANTS with a 409 that says so, and creates nothing', async () => {
    const place = await ctx.newDatabase();
    const { base } = await ctx.serve({ maxTenants: 1 }, place.url);
    expect((await provision(base, 'cap-a')).status).toBe(201);
    const refused = await provision(base, 'cap-b');
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: expect.stringContaining('MAX_TENANTS') });
    const onB = await call(base, 'GET', '/db', { headers: { 'x-tenant': 'cap-b' } });
    expect(onB.status).toBe(404);
  });

  it('answers 404, never 500, to requests racing the provisioning of their tenant', async () => {
    const { base } = await ctx.serve();
    let done = false;
    const created = provision(base, 'race-t').finally(() => {
      done = true;
    });
    const statuses: number[] = [];
    const racer = async () => {
      while (!done) {
        const { status } = await call(base, 'GET', '/accounts/total', {
          headers: { 'x-tenant': 'race-t' },
        });
        statuses.push(status);
      }
    };
    await Promise.all([racer(), racer(), racer()]);
    expect((await created).status).toBe(201);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 404 && status !== 200)).toEqual([]);
    const total = await call(base, 'GET', '/accounts/total', { headers: { 'x-tenant': 'race-t' } });
    expect(total.body).toEqual({ total: 100_000, count: 100 });
  });

  if (ctx.dialect === 'postgres') {
    it('resolves unknown tenants without a server session per request, on connections /stats counts', async () => {
      const { base } = await ctx.serve();
      const database = new URL(ctx.url).pathname.slice(1);
      // Every session to the default database, this query's own included.
      const sessions = async () =>
        Number(
          (
            await ctx.adminQuery<{ sessions: string }>(
              'select sessions from pg_stat_database where datname = $1',
              [database],
            )
          )[0]?.sessions,
        );
      const opened = async () => (await call(base, 'GET', '/stats')).body as { opened: number };
      const [sessionsBefore, statsBefore] = [await sessions(), (await opened()).opened];
      for (let i = 0; i < 40; i++) {
        const unknown = await call(base, 'GET', '/db', { headers: { 'x-tenant': `ghost-${i}` } });
        expect(unknown.status).toBe(404);
      }
      const counted = (await opened()).opened - statsBefore;
      const established = (await sessions()) - sessionsBefore - 1;
      expect(counted).toBeLessThanOrEqual(2);
      expect(established).toBeLessThanOrEqual(counted);
    });
  }
}
