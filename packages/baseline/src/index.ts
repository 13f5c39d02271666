export type { BaselineOptions } from './options.js';
export { baselineProfile } from './profile.js';
export { BaselineStrategy } from './strategy.js';
