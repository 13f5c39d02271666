export {
  BadTenantIdError,
  TenantExistsError,
  TenantIdTooLongError,
  UnknownTenantError,
} from './errors.js';
export type { MultiTenantStrategy } from './multi-tenant-strategy.js';
export {
  type OpenStrategy,
  StrategyPerTenant,
  type StrategyPerTenantOptions,
} from './strategy-per-tenant.js';
export {
  createTenantCatalog,
  TenantCatalog,
  type TenantCatalogOptions,
} from './tenant-catalog.js';
export { parseTenantId, TENANT_ID_PATTERN, type TenantId } from './tenant-id.js';
export { TENANT_HEADER, TenantResolver } from './tenant-resolver.js';
export {
  type BuildOn,
  type ServeOn,
  TenantRouter,
  type TenantRouterOptions,
} from './tenant-router.js';
export type { AdminQuery, BuildTenant, TenantStore } from './tenant-store.js';
