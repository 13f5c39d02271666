export type { BaselineOptions } from './options.js';
export { BaselineStrategy } from './strategy.js';
