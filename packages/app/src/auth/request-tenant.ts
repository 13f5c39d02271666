import { TENANT_HEADER } from '@lifetimes/tenants';
import type { Request } from 'express';

/**
 * How a token names the default database. Outside the tenant id pattern, so
 * no tenant can be given an id that reads as the default database.
 */
export const DEFAULT_TENANT = '(default)';

/**
 * The tenant id the request's `x-tenant` header names, or undefined for the
 * default database. The tenant middleware has already refused a bad or
 * repeated header with a 400, so a string here is a valid, known id.
 */
export function requestTenant(req: Request): string | undefined {
  const header = req.headers[TENANT_HEADER];
  return typeof header === 'string' ? header : undefined;
}
