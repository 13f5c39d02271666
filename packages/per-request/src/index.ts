export type { PerRequestOptions } from './options.js';
export { perRequestProfile } from './profile.js';
export { PerRequestStrategy } from './strategy.js';
