export { TenantExistsError, TenantIdTooLongError } from './errors.js';
export type { MultiTenantStrategy } from './multi-tenant-strategy.js';
export { type OpenStrategy, StrategyPerTenant } from './strategy-per-tenant.js';
export {
  type AdminQuery,
  createTenantCatalog,
  type TenantCatalog,
} from './tenant-catalog.js';
export { parseTenantId, TENANT_ID_PATTERN, type TenantId } from './tenant-id.js';
export { TENANT_HEADER, TenantResolver } from './tenant-resolver.js';
