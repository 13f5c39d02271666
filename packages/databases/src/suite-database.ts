import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.js';
// Brings in the typing of what the global setup provides to inject().
import type {} from './vitest-setup.js';

/**
 * A test file's own database on the run's server (or a temp-folder SQLite
 * file), named after the suite: `lifetimes_<suite>_…` databases, a
 * `<suite>.db` file, and `lifetimes-<suite>-admin` as the admin session's
 * application_name. `prefix` and `file` override the first two where a suite
 * needs room in PostgreSQL's 63-byte names or a file name of its own.
 */
export function suiteDatabase(
  dialect: 'sqlite' | 'postgres',
  suite: string,
  names: { readonly prefix?: string; readonly file?: string } = {},
): Promise<TestDatabase> {
  return createTestDatabase(dialect, {
    adminUrl: dialect === 'postgres' ? inject('pgAdminUrl') : undefined,
    prefix: names.prefix ?? `lifetimes_${suite}`,
    file: names.file ?? `${suite}.db`,
    applicationName: `lifetimes-${suite}-admin`,
  });
}
