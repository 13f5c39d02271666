import { delimiter, join } from 'node:path';
import type { NodeRuntime } from './node-runtime.js';

/** The variable through which a process learns which runtime it was started for. */
export const RUNTIME_VERSION_ENV = 'LIFETIMES_NODE_VERSION';

/**
 * The environment of a process started under `runtime`: its folder first on
 * PATH, so npm, vitest, tsx and every process started from there run on it.
 */
export function runtimeEnv(
  runtime: NodeRuntime,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const node = join(runtime.binDir, 'node');
  return {
    ...env,
    PATH: `${runtime.binDir}${delimiter}${env.PATH ?? ''}`,
    // npm names the Node that runs it in these; tools that start Node read them.
    NODE: node,
    npm_node_execpath: node,
    [RUNTIME_VERSION_ENV]: runtime.version,
  };
}
