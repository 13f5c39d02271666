import { type Database, migrate, type SeedResult, seed } from '@lifetimes/schema';
import { type MultiTenantStrategy, parseTenantId } from '@lifetimes/tenants';
import { type RequestHandler, Router } from 'express';
import type { TenantAdmin } from '../app-config.js';
import { adminCredential } from '../http/admin-credential.js';
import { HttpError } from '../http/http-error.js';
import { JsonBody } from '../http/json-body.js';

/**
 * `POST /tenants {"id"}` with the admin credential: creates the tenant's
 * database and builds its schema and seed through the strategy itself, in a
 * scope on that database, committed (a unit-of-work strategy would discard
 * it otherwise), before any request can reach it. Provisions run one at a
 * time, so two cannot both take the last place under `maxTenants`.
 */
export function tenantRoutes(
  strategy: MultiTenantStrategy<Database>,
  { adminToken, maxTenants }: TenantAdmin,
): RequestHandler {
  const router = Router();
  let previous: Promise<unknown> = Promise.resolve();
  router.post('/tenants', adminCredential(adminToken, 'POST /tenants'), async (req, res) => {
    const id = parseTenantId(
      JsonBody.of(req).requiredText('id', 'Tenant id is required: send {"id": "acme"}.'),
    );
    const turn = previous.then(async () => {
      if ((await strategy.catalog.count()) >= maxTenants) {
        throw new HttpError(
          409,
          `This app already has its ${maxTenants} tenants (MAX_TENANTS); tenant "${id}" was not ` +
            'created. Raise MAX_TENANTS, or use an existing tenant.',
        );
      }
      let seeded: SeedResult | undefined;
      await strategy.provision(id, async () => {
        await migrate(strategy.db, strategy.dialect);
        seeded = await seed(strategy.db);
        await strategy.commit();
      });
      return seeded;
    });
    previous = turn.catch(() => undefined);
    res.status(201).json({ id, ...(await turn) });
  });
  return router;
}
