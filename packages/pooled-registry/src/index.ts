export { TenantExistsError, TenantIdTooLongError } from './errors.js';
export type { PooledRegistryOptions } from './options.js';
export { PooledRegistryStrategy } from './strategy.js';
export type { TenantCatalog } from './tenant-catalog.js';
export { parseTenantId, TENANT_ID_PATTERN, type TenantId } from './tenant-id.js';
export { TENANT_HEADER } from './tenant-resolver.js';
