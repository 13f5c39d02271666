export { TenantExistsError, TenantIdTooLongError } from './errors.js';
export type { MultiTenantStrategy } from './multi-tenant-strategy.js';
export {
  type OpenStrategy,
  StrategyPerTenant,
  type StrategyPerTenantOptions,
} from './strategy-per-tenant.js';
export {
  type AdminQuery,
  type BuildTenant,
  createTenantCatalog,
  TenantCatalog,
  type TenantCatalogOptions,
  type TenantStore,
} from './tenant-catalog.js';
export { parseTenantId, TENANT_ID_PATTERN, type TenantId } from './tenant-id.js';
export { TENANT_HEADER, TenantResolver } from './tenant-resolver.js';
