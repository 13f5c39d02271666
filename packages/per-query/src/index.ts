export type { PerQueryOptions } from './options.js';
export { PerQueryStrategy } from './strategy.js';
