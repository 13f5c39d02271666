import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

interface Drivers {
  readonly 'better-sqlite3': typeof BetterSqlite3;
  readonly pg: typeof pg;
}

const USED_FOR = { 'better-sqlite3': 'sqlite: URLs', pg: 'postgres:// URLs' } as const;

const require = createRequire(import.meta.url);

/**
 * Loads a database driver when a connection first needs it, not when the
 * package is imported: both drivers are optional peer dependencies, so a
 * service installs only the one its URLs name. Both are CommonJS, and
 * require() is synchronous, as the SQLite handle's constructor needs.
 */
export function loadDriver<Name extends keyof Drivers>(name: Name): Drivers[Name] {
  try {
    return require(name) as Drivers[Name];
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      (error as Error).message.includes(`'${name}'`);
    if (!missing) throw error;
    throw new Error(
      `The ${name} driver is not installed, and ${USED_FOR[name]} need it. ` +
        `Install it beside @lifetimes/core: npm install ${name}`,
      { cause: error },
    );
  }
}
