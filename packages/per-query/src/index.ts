export type { PerQueryOptions } from './options.js';
export { perQueryProfile } from './profile.js';
export { PerQueryStrategy } from './strategy.js';
