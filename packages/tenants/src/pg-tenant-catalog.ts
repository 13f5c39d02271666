import { quoteIdentifier } from '@lifetimes/core';
import { TenantExistsError, TenantIdTooLongError } from './errors.js';
import type { AdminQuery, TenantCatalog } from './tenant-catalog.js';
import type { TenantId } from './tenant-id.js';

/** PostgreSQL truncates longer identifiers silently (NAMEDATALEN - 1). */
const MAX_NAME_BYTES = 63;
/**
 * duplicate_database, and unique_violation on pg_database: what the loser of
 * two concurrent CREATE DATABASE of one name gets instead.
 */
const ALREADY_THERE = new Set(['42P04', '23505']);

/**
 * Tenants as databases on the default database's server, named
 * `<default db>__<id>` and always quoted. The id is kept verbatim (`-` and
 * `_` both allowed), so the mapping is injective: mapping `-` to `_` would
 * give `a-b` and `a_b` one database. A tenant exists iff pg_database lists it.
 */
export class PgTenantCatalog implements TenantCatalog {
  readonly #defaultUrl: string;
  readonly #defaultName: string;
  readonly #query: AdminQuery;

  constructor(defaultUrl: string, query: AdminQuery) {
    // Decoded the way pg decodes a connection string's database.
    const name = decodeURI(new URL(defaultUrl).pathname.slice(1));
    if (name === '') {
      throw new Error(
        `The PostgreSQL URL ${new URL(defaultUrl).host} names no database; tenant databases are ` +
          'named after it. Add it to the URL: postgres://user@host:port/<database>.',
      );
    }
    this.#defaultUrl = defaultUrl;
    this.#defaultName = name;
    this.#query = query;
  }

  urlOf(id: TenantId): string {
    const url = new URL(this.#defaultUrl);
    url.pathname = `/${this.#databaseOf(id)}`;
    return url.toString();
  }

  async exists(id: TenantId): Promise<boolean> {
    const rows = await this.#query('select 1 from pg_database where datname = $1', [
      this.#databaseOf(id),
    ]);
    return rows.length > 0;
  }

  async provision(id: TenantId): Promise<string> {
    const database = this.#databaseOf(id);
    try {
      await this.#query(`create database ${quoteIdentifier(database)}`, []);
    } catch (error) {
      if (ALREADY_THERE.has(String((error as { code?: unknown }).code))) {
        throw new TenantExistsError(id);
      }
      throw error;
    }
    return this.urlOf(id);
  }

  #databaseOf(id: TenantId): string {
    const database = `${this.#defaultName}__${id}`;
    if (Buffer.byteLength(database) > MAX_NAME_BYTES) {
      const room = MAX_NAME_BYTES - Buffer.byteLength(`${this.#defaultName}__`);
      throw new TenantIdTooLongError(id, database, room);
    }
    return database;
  }
}
