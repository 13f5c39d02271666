export type { ScopedSessionOptions } from './options.js';
export { scopedSessionProfile } from './profile.js';
export { SessionLostError } from './session-lost-error.js';
export { ScopedSessionStrategy } from './strategy.js';
