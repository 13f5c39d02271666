export type { PooledRegistryOptions } from './options.js';
export { pooledRegistryProfile } from './profile.js';
export { PooledRegistryStrategy } from './strategy.js';
