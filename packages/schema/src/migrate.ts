import type { DialectName } from '@lifetimes/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';

/**
 * Creates every table that does not exist yet; safe to run on every start.
 * The two dialects differ only where SQL does: how an id is generated and
 * how the creation time is written.
 */
export async function migrate(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  const postgres = dialect === 'postgres';
  await db.schema
    .createTable('world')
    .ifNotExists()
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('randomNumber', 'integer', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('account')
    .ifNotExists()
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('balance', 'integer', (col) => col.notNull())
    // The transfer invariant's last line of defence: a bug that overdraws an
    // account fails its transaction instead of corrupting the total.
    .addCheckConstraint('account_balance_not_negative', sql`balance >= 0`)
    .execute();
  await db.schema
    .createTable('user')
    .ifNotExists()
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('password', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('post')
    .ifNotExists()
    .addColumn('id', 'integer', (col) =>
      postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
    )
    .addColumn('author_id', 'integer', (col) => col.notNull().references('user.id'))
    // SQLite's CURRENT_TIMESTAMP has whole seconds and no zone; this default
    // writes ISO 8601 UTC with milliseconds, which sorts like the PostgreSQL value.
    .addColumn('created', postgres ? 'timestamptz' : 'text', (col) =>
      col.notNull().defaultTo(postgres ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
    )
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .execute();
  // Safe retries: a write's Idempotency-Key, stored in the write's own
  // transaction with the answer it got, so a retry gets that answer back
  // instead of applying the write twice.
  await db.schema
    .createTable('idempotency_key')
    .ifNotExists()
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('status', 'integer', (col) => col.notNull())
    .addColumn('response', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('idempotency_key_expires_at')
    .ifNotExists()
    .on('idempotency_key')
    .column('expires_at')
    .execute();
}
