import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DatabaseTarget } from '@lifetimes/core';
import { TenantExistsError } from './errors.js';
import type { TenantCatalog } from './tenant-catalog.js';
import type { TenantId } from './tenant-id.js';

/**
 * Tenants as SQLite files beside the default database: `<its dir>/tenants/<id>.db`.
 * A tenant exists iff its file does. Callers must ask exists() before any
 * handle opens the file, because opening a missing file creates it: an
 * unchecked header would provision an empty tenant by typo.
 */
export class SqliteTenantCatalog implements TenantCatalog {
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

  async exists(id: TenantId): Promise<boolean> {
    const found = await stat(this.#fileOf(id)).catch(() => undefined);
    return found?.isFile() === true;
  }

  async provision(id: TenantId): Promise<string> {
    await mkdir(this.#dir, { recursive: true });
    try {
      // 'wx' creates the file only if it is absent, atomically, so two
      // provisions of one id cannot both succeed. An empty file is a valid
      // empty SQLite database.
      await (await open(this.#fileOf(id), 'wx')).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new TenantExistsError(id);
      throw error;
    }
    return this.urlOf(id);
  }

  #fileOf(id: TenantId): string {
    return join(this.#dir, `${id}.db`);
  }
}
