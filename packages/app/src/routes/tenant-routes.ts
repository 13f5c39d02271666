import type { Database } from '@lifetimes/schema';
import { migrate, seed } from '@lifetimes/schema';
import type { MultiTenantStrategy } from '@lifetimes/tenants';
import { type RequestHandler, Router } from 'express';
import { JsonBody } from '../http/json-body.js';

/**
 * `POST /tenants {"id"}`: creates the tenant's database, then its schema and
 * seed through the strategy itself, in a scope on that database, committed
 * (a unit-of-work strategy would discard it otherwise).
 */
export function tenantRoutes(strategy: MultiTenantStrategy<Database>): RequestHandler {
  const router = Router();
  router.post('/tenants', async (req, res) => {
    const id = JsonBody.of(req).requiredText('id', 'Tenant id is required: send {"id": "acme"}.');
    await strategy.provision(id);
    const seeded = await strategy.scopeFor(id, async () => {
      await migrate(strategy.db, strategy.dialect);
      const rows = await seed(strategy.db);
      await strategy.commit();
      return rows;
    });
    res.status(201).json({ id, ...seeded });
  });
  return router;
}
