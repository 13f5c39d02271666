import { quoteIdentifier } from '@lifetimes/core/authoring';
import { TenantExistsError, TenantIdTooLongError } from './errors.js';
import { parseTenantId, TENANT_ID_PATTERN, type TenantId } from './tenant-id.js';
import type { AdminQuery, BuildTenant, TenantStore } from './tenant-store.js';

/** PostgreSQL truncates longer identifiers silently (NAMEDATALEN - 1). */
const MAX_NAME_BYTES = 63;
/**
 * duplicate_database, and unique_violation on pg_database: what the loser of
 * two concurrent CREATE DATABASE (or RENAME) of one name gets instead.
 */
const ALREADY_THERE = new Set(['42P04', '23505']);
/** Marks a database still being built: `~` is outside every tenant id, so no request can name it. */
const BUILDING = '~';

/**
 * Tenants as databases on the default database's server, named
 * `<default db>__<id>` and always quoted. The id is kept verbatim (`-` and
 * `_` both allowed), so the mapping is injective: mapping `-` to `_` would
 * give `a-b` and `a_b` one database. A tenant exists iff pg_database lists
 * it; it is built as `<default db>__~<id>` and renamed once complete, so a
 * request never meets a database without its schema.
 */
export class PgTenantStore implements TenantStore {
  readonly #defaultUrl: string;
  readonly #prefix: string;
  readonly #admin: AdminQuery;
  readonly #lookup: AdminQuery;

  constructor(defaultUrl: string, admin: AdminQuery, lookup: AdminQuery) {
    // Decoded the way pg decodes a connection string's database.
    const name = decodeURI(new URL(defaultUrl).pathname.slice(1));
    if (name === '') {
      throw new Error(
        `The PostgreSQL URL ${new URL(defaultUrl).host} names no database; tenant databases are ` +
          'named after it. Add it to the URL: postgres://user@host:port/<database>.',
      );
    }
    this.#defaultUrl = defaultUrl;
    this.#prefix = `${name}__`;
    this.#admin = admin;
    this.#lookup = lookup;
  }

  urlOf(id: TenantId): string {
    return this.#urlOfDatabase(this.#databaseOf(id));
  }

  async list(): Promise<TenantId[]> {
    const rows = (await this.#lookup(
      'select datname from pg_database where starts_with(datname, $1)',
      [this.#prefix],
    )) as { datname: string }[];
    return rows
      .map((row) => row.datname.slice(this.#prefix.length))
      .filter((id) => TENANT_ID_PATTERN.test(id))
      .map(parseTenantId);
  }

  async provision(id: TenantId, build: BuildTenant): Promise<string> {
    const database = this.#databaseOf(id);
    const building = this.#databaseOf(id, BUILDING);
    const found = await this.#lookup('select 1 from pg_database where datname = $1', [database]);
    if (found.length > 0) throw new TenantExistsError(id);
    try {
      await this.#admin(`create database ${quoteIdentifier(building)}`, []);
    } catch (error) {
      // Another provision of the same id is building it right now.
      if (isAlreadyThere(error)) throw new TenantExistsError(id);
      throw error;
    }
    try {
      await build(this.#urlOfDatabase(building));
      await this.#admin(
        `alter database ${quoteIdentifier(building)} rename to ${quoteIdentifier(database)}`,
        [],
      );
    } catch (error) {
      // FORCE: a connection the build left behind must not keep the half-built
      // database alive. A drop that fails too (the server is gone) must not
      // hide why the provision failed.
      await this.#admin(
        `drop database if exists ${quoteIdentifier(building)} with (force)`,
        [],
      ).catch(() => undefined);
      if (isAlreadyThere(error)) throw new TenantExistsError(id);
      throw error;
    }
    return this.#urlOfDatabase(database);
  }

  #urlOfDatabase(database: string): string {
    const url = new URL(this.#defaultUrl);
    url.pathname = `/${database}`;
    return url.toString();
  }

  #databaseOf(id: TenantId, mark = ''): string {
    const database = `${this.#prefix}${mark}${id}`;
    // Checked on the building name, one byte longer, so both names fit.
    if (Buffer.byteLength(`${this.#prefix}${BUILDING}${id}`) > MAX_NAME_BYTES) {
      const room = MAX_NAME_BYTES - Buffer.byteLength(`${this.#prefix}${BUILDING}`);
      throw new TenantIdTooLongError(id, database, room);
    }
    return database;
  }
}

function isAlreadyThere(error: unknown): boolean {
  return ALREADY_THERE.has(String((error as { code?: unknown }).code));
}
