import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { NodeRuntime } from './node-runtime.js';
import { outliveChild } from './outlive-child.js';
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
  return outliveChild(child).then(({ code, signal }) => code ?? (signal ? 1 : 0));
}
