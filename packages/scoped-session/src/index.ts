export type { ScopedSessionOptions } from './options.js';
export { SessionLostError } from './session-lost-error.js';
export { ScopedSessionStrategy } from './strategy.js';
