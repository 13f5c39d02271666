export type { PerRequestOptions } from './options.js';
export { PerRequestStrategy } from './strategy.js';
