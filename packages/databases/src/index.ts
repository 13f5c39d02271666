export { answers } from './answers.js';
export { type Backend, type BackendFilter, backends, databaseName } from './backends.js';
export { connectAdmin, withAdmin } from './connect-admin.js';
export { freePort } from './free-port.js';
export type { PgBouncer, PoolMode, StartPgBouncerOptions } from './pgbouncer.js';
export { findPgBouncer, PGBOUNCER_MISSING, startPgBouncer } from './pgbouncer.js';
export type { PostgresServer, StartPostgresOptions } from './postgres-server.js';
export { startPostgres } from './postgres-server.js';
export type {
  EmbeddedPostgresCopy,
  ReachableEmbeddedPostgresOptions,
} from './reachable-embedded-postgres.js';
export { reachableEmbeddedPostgres } from './reachable-embedded-postgres.js';
export type { ScratchDatabase } from './scratch-database.js';
export { createScratchDatabase } from './scratch-database.js';
export { type ServedHandler, serveOnFreePort } from './serve-on-free-port.js';
export type { TempDir } from './temp-dir.js';
export { createTempDir } from './temp-dir.js';
export {
  createTestDatabase,
  queryOnce,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database.js';
export { type Resolvers, withResolvers } from './with-resolvers.js';
