import type { ColumnType, Generated } from 'kysely';

/** TechEmpower's World table: ids 1..10000, each with a random number in 1..10000. */
export interface WorldTable {
  id: number;
  /** camelCase as TechEmpower names it; Kysely quotes it, so PostgreSQL keeps the case. */
  randomNumber: number;
}

/** Bank accounts for the transfer workload; the sum of balances never changes. */
export interface AccountTable {
  id: number;
  balance: number;
}

/** flaskr's user table. `password` holds a scrypt hash, never the password. */
export interface UserTable {
  id: Generated<number>;
  username: string;
  password: string;
}

/** flaskr's post table. */
export interface PostTable {
  id: Generated<number>;
  author_id: number;
  /**
   * Set by the database on insert. PostgreSQL returns a Date, SQLite the ISO
   * 8601 text its default writes; `new Date(created)` reads either.
   */
  created: ColumnType<Date | string, never, never>;
  title: string;
  body: string;
}

/**
 * A write's Idempotency-Key and the answer it got, kept until `expires_at`
 * (epoch milliseconds; PostgreSQL's bigint comes back as text).
 */
export interface IdempotencyKeyTable {
  key: string;
  /** The method, path and body the key was first used with. */
  fingerprint: string;
  status: number;
  /** The JSON answer; empty for one without a body (204). */
  response: string;
  expires_at: ColumnType<number | string, number, number>;
}

/** Every table of the sample apps, as Kysely sees them. */
export interface Database {
  world: WorldTable;
  account: AccountTable;
  user: UserTable;
  post: PostTable;
  idempotency_key: IdempotencyKeyTable;
}
