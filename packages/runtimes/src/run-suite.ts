import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import type { NodeRuntime } from './node-runtime.js';

/** The variable through which a suite learns which runtime it was started for. */
export const RUNTIME_VERSION_ENV = 'LIFETIMES_NODE_VERSION';

/**
 * Runs every package's tests (typecheck and lint do not depend on the
 * runtime, so `npm test` covers them once) under `runtime`: its folder goes
 * first on PATH, so turbo's npm, vitest, tsx and every process the tests
 * spawn run on it. Returns the exit code.
 */
export function runSuite(
  runtime: NodeRuntime,
  root: string,
  filters: readonly string[],
): Promise<number> {
  const node = join(runtime.binDir, 'node');
  const child = spawn(
    node,
    [
      join(root, 'node_modules', 'turbo', 'bin', 'turbo'),
      'run',
      'test',
      '--concurrency=1',
      // Every package's verdict on this runtime, not only the first failure's.
      '--continue',
      ...filters.map((filter) => `--filter=${filter}`),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        PATH: `${runtime.binDir}${delimiter}${process.env.PATH ?? ''}`,
        // npm names the Node that runs it in these; tools that start Node read them.
        NODE: node,
        npm_node_execpath: node,
        [RUNTIME_VERSION_ENV]: runtime.version,
      },
    },
  );
  // This process outlives the suite on a signal, so the caller can put
  // node_modules back: Ctrl-C already reaches the suite (same process
  // group), a SIGTERM sent to this process alone is passed on.
  const wait = () => {};
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', wait);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', wait);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
