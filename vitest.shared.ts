import { defaultServerConditions } from 'vite';

/**
 * Every test runs the packages from their sources: `@lifetimes/source` is the
 * condition each package's `exports` maps to `src/*.ts`, ahead of `dist/`,
 * which only a build writes. Vitest resolves inlined modules with these
 * conditions and passes them to its workers as `--conditions`, so a test
 * never needs a build first and never runs a stale `dist/`.
 */
export const sourceConditions = {
  ssr: { resolve: { conditions: ['@lifetimes/source', ...defaultServerConditions] } },
};

/**
 * The tests of every package that makes scratch databases: one PostgreSQL
 * server for the run (the one PG_URL names, else an embedded one started for
 * it), and time for making and dropping a database on a loaded machine.
 */
export const onScratchDatabases = {
  globalSetup: ['@lifetimes/databases/vitest-setup'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};
