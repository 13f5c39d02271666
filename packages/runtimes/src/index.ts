export { machineRuntime, type NodeRuntime } from './node-runtime.js';
export { type ChildExit, outliveChild } from './outlive-child.js';
export { parseRuntimes } from './parse-runtimes.js';
export { type PreparedRuntimes, prepareRuntimes } from './prepare-runtimes.js';
export { RUNTIME_VERSION_ENV, runtimeEnv } from './runtime-env.js';
