import type { ConnectionStrategy } from '@lifetimes/core';
import { type Database, migrate, type SeedResult, seed } from '@lifetimes/schema';

/**
 * Creates the schema and seeds an empty database, through the app's own
 * strategy: in a scope (per-request and scoped-session refuse queries
 * outside one), committed (scoped-session discards uncommitted work).
 */
export function migrateAndSeed(strategy: ConnectionStrategy<Database>): Promise<SeedResult> {
  return strategy.scope(async () => {
    await migrate(strategy.db, strategy.dialect);
    const seeded = await seed(strategy.db);
    await strategy.commit();
    return seeded;
  });
}
