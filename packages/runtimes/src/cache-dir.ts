import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where fetched runtimes and the better-sqlite3 binaries built for them
 * live: outside the clone, so a fresh clone or `git clean` keeps them, and
 * a second run takes seconds instead of a download and a 2-3 minute build.
 * `LIFETIMES_RUNTIMES_CACHE` moves it.
 */
export function runtimeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LIFETIMES_RUNTIMES_CACHE) return resolve(env.LIFETIMES_RUNTIMES_CACHE);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'connection-lifetimes', 'runtimes');
}
