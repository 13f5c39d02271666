import type { ConnectionStrategy } from '@lifetimes/core';
import type { Database } from '@lifetimes/schema';
import { migrate, seed } from '@lifetimes/schema';
import { type RequestHandler, Router } from 'express';
import { JsonBody } from '../http/json-body.js';

/** What POST /tenants needs from a strategy that serves many databases. */
export interface TenantProvisioner {
  /** Validates `id` (400 when bad) and creates the tenant's empty database (409 when it exists). */
  provision(id: string): Promise<unknown>;
  /** Runs `fn` in a scope on tenant `id`'s database. */
  scopeFor<T>(id: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * `POST /tenants {"id"}`: creates the tenant's database, then its schema and
 * seed through the strategy itself, in a scope on that database, committed
 * (a unit-of-work strategy would discard it otherwise).
 */
export function tenantRoutes(
  strategy: ConnectionStrategy<Database>,
  provisioner: TenantProvisioner,
): RequestHandler {
  const router = Router();
  router.post('/tenants', async (req, res) => {
    const id = JsonBody.of(req).requiredText('id', 'Tenant id is required: send {"id": "acme"}.');
    await provisioner.provision(id);
    const seeded = await provisioner.scopeFor(id, async () => {
      await migrate(strategy.db, strategy.dialect);
      const rows = await seed(strategy.db);
      await strategy.commit();
      return rows;
    });
    res.status(201).json({ id, ...seeded });
  });
  return router;
}
