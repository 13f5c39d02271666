import { readdirSync } from 'node:fs';
import { parseDatabaseUrl, StrategyClosedError } from '@lifetimes/core';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import type { NextFunction, Request, Response } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BadTenantIdError,
  createTenantCatalog,
  parseTenantId,
  TenantRouter,
  UnknownTenantError,
} from '../src/index.js';

const refuseQueries = async () => {
  throw new Error('a SQLite catalog runs no query on the default database');
};

/** A request as the router reads it: only its headers. */
const request = (tenant?: string) =>
  ({ headers: tenant === undefined ? {} : { 'x-tenant': tenant } }) as unknown as Request;
const response = {} as Response;

describe('TenantRouter', () => {
  let dir: TempDir;
  let closed: boolean;
  let router: TenantRouter;
  beforeEach(async () => {
    dir = await createTempDir('lifetimes-router');
    closed = false;
    router = new TenantRouter({
      name: 'test-strategy',
      defaultUrl: dir.sqliteUrl('app.db'),
      catalog: createTenantCatalog(parseDatabaseUrl(dir.sqliteUrl('app.db')), refuseQueries),
      isOpen: () => false,
      isClosed: () => closed,
    });
  });
  afterEach(() => dir.remove());

  /** What the middleware did with one request: whom it called, and when. */
  async function route(tenant?: string) {
    const serve = vi.fn();
    const next = vi.fn<(error?: unknown) => void>();
    router.middleware(serve)(request(tenant), response, next as NextFunction);
    const inTheSameTurn = serve.mock.calls.length + next.mock.calls.length > 0;
    await vi.waitFor(() => expect(serve.mock.calls.length + next.mock.calls.length).toBe(1));
    return {
      url: serve.mock.calls[0]?.[0] as string | undefined,
      error: next.mock.calls[0]?.[0],
      inTheSameTurn,
    };
  }

  it('serves a request without the header on the default database, in the same turn', async () => {
    expect(await route()).toEqual({
      url: dir.sqliteUrl('app.db'),
      error: undefined,
      inTheSameTurn: true,
    });
  });

  it("serves a provisioned tenant's request on its database", async () => {
    const url = await router.provision('acme', undefined, async () => {});
    expect(await route('acme')).toMatchObject({ url, error: undefined });
  });

  it('answers a bad id at once and touches no file, and an unknown tenant after the lookup', async () => {
    const bad = await route('../app');
    expect(bad.error).toBeInstanceOf(BadTenantIdError);
    expect(bad.inTheSameTurn).toBe(true);
    expect(readdirSync(dir.path)).toEqual([]);
    expect((await route('nobody')).error).toBeInstanceOf(UnknownTenantError);
  });

  it('runs the build through buildOn on a database the tenant does not name yet', async () => {
    const beta = parseTenantId('beta');
    const seen: { building: string; existed: boolean }[] = [];
    let built = false;
    const url = await router.provision(
      'beta',
      async () => {
        built = true;
      },
      async (building, build) => {
        seen.push({ building, existed: await router.catalog.exists(beta) });
        await build();
      },
    );
    expect(built).toBe(true);
    expect(url).toBe(router.catalog.urlOf(beta));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.building).not.toBe(url);
    expect(seen[0]?.existed).toBe(false);
    expect(await route('beta')).toMatchObject({ url });
  });

  it('refuses everything once the strategy closes, even a lookup that was under way', async () => {
    await router.provision('acme', undefined, async () => {});
    const lookup = router.urlFor('acme');
    closed = true;
    await expect(lookup).rejects.toBeInstanceOf(StrategyClosedError);
    expect((await route()).error).toBeInstanceOf(StrategyClosedError);
    expect((await route('acme')).error).toBeInstanceOf(StrategyClosedError);
    await expect(router.provision('gamma', undefined, async () => {})).rejects.toBeInstanceOf(
      StrategyClosedError,
    );
  });
});
