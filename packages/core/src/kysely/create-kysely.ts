import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { DialectName } from '../database-url.js';
import type { ConnectionSource } from './connection-source.js';
import { LifetimeDriver } from './lifetime-driver.js';

/** A Kysely handle whose connections come from `source`; SQL is compiled for `dialect`. */
export function createKysely<DB>(dialect: DialectName, source: ConnectionSource): Kysely<DB> {
  const sqlite = dialect === 'sqlite';
  return new Kysely<DB>({
    dialect: {
      createDriver: () => new LifetimeDriver(source),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createIntrospector: (db) =>
        sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db),
    },
  });
}
