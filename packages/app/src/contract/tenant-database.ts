import { dirname, join } from 'node:path';
import type { AppContext } from './app-context.js';
import { call } from './http-call.js';

/**
 * The URL of tenant `id`'s own database, to read it straight, outside the
 * app: a file beside the default database, or a PostgreSQL database named
 * after it, as packages/tenants lays them out.
 */
export function tenantDatabaseUrl(ctx: AppContext, id: string): string {
  if (ctx.dialect === 'sqlite') {
    return `sqlite:${join(dirname(ctx.url.slice('sqlite:'.length)), 'tenants', `${id}.db`)}`;
  }
  const url = new URL(ctx.url);
  url.pathname = `${url.pathname}__${id}`;
  return url.toString();
}

/** Provisions tenant `id` through the app, with the administration credential; fails unless it is created. */
export async function createTenant(ctx: AppContext, base: string, id: string): Promise<void> {
  const created = await call(base, 'POST', '/tenants', { json: { id }, headers: ctx.adminHeaders });
  if (created.status !== 201) {
    throw new Error(
      `POST /tenants ${id} answered ${created.status}: ${JSON.stringify(created.body)}`,
    );
  }
}
