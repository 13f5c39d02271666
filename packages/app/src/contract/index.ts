export type { ServedApp } from './app-context.js';
export { AppContext } from './app-context.js';
export type { AppSuiteSpec } from './app-suite-spec.js';
export type { CallOptions, CallResult } from './http-call.js';
export { call, getJson } from './http-call.js';
export { runAppSuite } from './run-app-suite.js';
