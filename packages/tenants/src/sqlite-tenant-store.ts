import { link, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatabaseTarget } from '@lifetimes/core';
import { TenantExistsError } from './errors.js';
import { parseTenantId, TENANT_ID_PATTERN, type TenantId } from './tenant-id.js';
import type { BuildTenant, TenantStore } from './tenant-store.js';

/** A tenant's file: `<id>.db`; anything else in the folder (WAL files, builds) is not a tenant. */
const TENANT_FILE = /^(.+)\.db$/;

/**
 * Tenants as SQLite files beside the default database: `<its dir>/tenants/<id>.db`.
 * A tenant exists iff its file does. Callers must ask before any handle
 * opens the file, because opening a missing file creates it: an unchecked
 * header would provision an empty tenant by typo. A tenant is built as
 * `<id>.db.building` and linked to its name once complete, so a request
 * never meets a file without its schema.
 */
export class SqliteTenantStore implements TenantStore {
  readonly #dir: string;
  /** The default database's URL parameters (`?max_page_count=...`): they hold for every tenant's file alike. */
  readonly #query: string;

  constructor(defaultDatabase: DatabaseTarget & { dialect: 'sqlite' }) {
    this.#dir = join(dirname(defaultDatabase.file), 'tenants');
    const query = defaultDatabase.url.indexOf('?');
    this.#query = query === -1 ? '' : defaultDatabase.url.slice(query);
  }

  urlOf(id: TenantId): string {
    return `sqlite:${this.#fileOf(id)}${this.#query}`;
  }

  async list(): Promise<TenantId[]> {
    const names = await readdir(this.#dir).catch(() => []);
    return names
      .map((name) => TENANT_FILE.exec(name)?.[1] ?? '')
      .filter((id) => TENANT_ID_PATTERN.test(id))
      .map(parseTenantId);
  }

  async provision(id: TenantId, build: BuildTenant): Promise<string> {
    const file = this.#fileOf(id);
    const building = `${file}.building`;
    await mkdir(this.#dir, { recursive: true });
    if ((await stat(file).catch(() => undefined))?.isFile()) throw new TenantExistsError(id);
    try {
      // 'wx' creates the file only if it is absent, atomically: a second
      // provision of the same id, running now, is refused here. An empty
      // file is a valid empty SQLite database.
      await (await open(building, 'wx')).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new TenantExistsError(id);
      throw error;
    }
    try {
      await build(`sqlite:${building}${this.#query}`);
      // link(), unlike rename(), refuses an existing target, so a tenant
      // that appeared meanwhile is never overwritten.
      await link(building, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new TenantExistsError(id);
      throw error;
    } finally {
      await Promise.all(
        ['', '-wal', '-shm', '-journal'].map((suffix) =>
          rm(`${building}${suffix}`, { force: true }),
        ),
      );
    }
    return this.urlOf(id);
  }

  #fileOf(id: TenantId): string {
    return join(this.#dir, `${id}.db`);
  }
}
