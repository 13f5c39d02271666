export type { PooledRegistryOptions } from './options.js';
export { PooledRegistryStrategy } from './strategy.js';
