import { mkdir } from 'node:fs/promises';
import { runtimeCacheDir } from './cache-dir.js';
import { fetchRuntime } from './fetch-runtime.js';
import { machineRuntime, type NodeRuntime } from './node-runtime.js';
import { cachedBindingPath, installedSqlite, sqliteBindingFor } from './sqlite-binding.js';
import { BindingSwap } from './swap-binding.js';

/** Runtimes ready to run work under, each with its better-sqlite3 in node_modules for as long as the work runs. */
export interface PreparedRuntimes {
  readonly runtimes: readonly NodeRuntime[];
  /** Runs `work` with `runtime`'s better-sqlite3 in node_modules, and the machine's back afterwards. */
  under<T>(runtime: NodeRuntime, work: () => Promise<T>): Promise<T>;
}

/**
 * Fetches every runtime named by its major and builds better-sqlite3 for
 * it, before any work starts: a download or a build that fails does so in
 * the first minutes, not after a whole run. The machine's own major is the
 * machine's Node. Repairs node_modules first if an interrupted run left
 * another runtime's binary there.
 */
export async function prepareRuntimes(
  majors: readonly number[],
  root: string,
  log: (line: string) => void,
): Promise<PreparedRuntimes> {
  const cache = runtimeCacheDir();
  await mkdir(cache, { recursive: true });
  const sqlite = installedSqlite(root);
  const machine = machineRuntime();
  const swap = new BindingSwap(sqlite.binding, cachedBindingPath(cache, sqlite, machine.abi));
  if (await swap.prepare()) {
    log("Put the machine's better-sqlite3 back in node_modules, left out by an interrupted run.");
  }
  const bindings = new Map<NodeRuntime, string>();
  const runtimes: NodeRuntime[] = [];
  for (const major of majors) {
    if (major === machine.major) {
      runtimes.push(machine);
      continue;
    }
    const runtime = await fetchRuntime(major, cache, log);
    bindings.set(runtime, await sqliteBindingFor(runtime, sqlite, cache, log));
    runtimes.push(runtime);
  }
  return {
    runtimes,
    under: (runtime, work) => {
      const binding = bindings.get(runtime);
      return binding ? swap.with(binding, work) : work();
    },
  };
}
