import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { NodeRuntime } from './node-runtime.js';
import { runtimeEnv } from './runtime-env.js';

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
  const child = spawn(
    join(runtime.binDir, 'node'),
    [
      join(root, 'node_modules', 'turbo', 'bin', 'turbo'),
      'run',
      'test',
      '--concurrency=1',
      // Every package's verdict on this runtime, not only the first failure's.
      '--continue',
      ...filters.map((filter) => `--filter=${filter}`),
    ],
    { cwd: root, stdio: 'inherit', env: runtimeEnv(runtime) },
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
