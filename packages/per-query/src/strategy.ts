import { parseDatabaseUrl } from '@lifetimes/core';
import {
  ConnectionCap,
  openConnection,
  type PhysicalConnection,
  StrategyBase,
} from '@lifetimes/core/authoring';
import type { PerQueryOptions } from './options.js';

/**
 * A fresh connection for every query, closed in `finally` as soon as the
 * query is done. Nothing outlives a query, so nothing can leak into the next
 * request, and every query pays the connect cost (on PostgreSQL a TCP and
 * authentication handshake plus a new backend process). A transaction is one
 * acquire: its connection stays pinned from BEGIN to COMMIT or ROLLBACK.
 */
export class PerQueryStrategy<DB> extends StrategyBase<DB> {
  readonly #cap: ConnectionCap;
  readonly #open = new Set<PhysicalConnection>();

  constructor(url: string, options: PerQueryOptions = {}) {
    super('per-query', parseDatabaseUrl(url), options);
    this.#cap = new ConnectionCap(
      options.maxOpen ?? Number.POSITIVE_INFINITY,
      options.acquireTimeoutMs ?? 5000,
      this.observer,
    );
  }

  protected async acquireConnection(): Promise<PhysicalConnection> {
    await this.#cap.take();
    try {
      const connection = await openConnection(this.target, this.observer, {
        applicationName: this.applicationName,
        connectTimeoutMs: this.connectTimeoutMs,
      });
      this.#open.add(connection);
      this.took(connection, this.scopeId());
      return connection;
    } catch (error) {
      this.#cap.release();
      throw error;
    }
  }

  protected async releaseConnection(connection: PhysicalConnection): Promise<void> {
    this.gaveBack(connection, this.scopeId());
    this.#open.delete(connection);
    try {
      // Kysely has committed or rolled back by now; a transaction still open
      // here means its rollback failed, and closing ends it server-side.
      await connection.close();
    } finally {
      this.#cap.release();
    }
  }

  protected async closeConnections(): Promise<void> {
    // Normally empty: each query closed its own. What is left belongs to
    // queries still running past the close timeout, and is cut off.
    await Promise.all([...this.#open].map((connection) => connection.close()));
  }
}
