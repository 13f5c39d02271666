import { join } from 'node:path';
import { repoRoot } from './repo-root.js';
import type { StrategyName } from './rows.js';

/** The server file of a strategy's app, and the folder it runs in. */
export function appEntry(strategy: StrategyName): { entry: string; cwd: string } {
  const root = repoRoot();
  if (strategy === 'driver-floor') {
    return { entry: join(root, 'bench/src/driver-floor/server.ts'), cwd: join(root, 'bench') };
  }
  if (strategy === 'kysely-plain') {
    return { entry: join(root, 'bench/src/kysely-plain/server.ts'), cwd: join(root, 'bench') };
  }
  return {
    entry: join(root, `apps/${strategy}/src/server.ts`),
    cwd: join(root, `apps/${strategy}`),
  };
}
