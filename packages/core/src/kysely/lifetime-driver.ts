import type { DatabaseConnection, Driver, TransactionSettings } from 'kysely';
import type { PhysicalConnection } from '../connection/physical-connection.js';
import type { ConnectionSource } from './connection-source.js';

/**
 * A Kysely Driver that owns no connections: every acquire and release goes
 * to the strategy's ConnectionSource, so the same Kysely handle behaves as
 * per-query, per-request or pooled depending only on the source behind it.
 */
export class LifetimeDriver implements Driver {
  readonly #source: ConnectionSource;

  constructor(source: ConnectionSource) {
    this.#source = source;
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return this.#source.acquire();
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#source.release(connection as PhysicalConnection);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const physical = connection as PhysicalConnection;
    return this.#source.beginTransaction
      ? this.#source.beginTransaction(physical, settings)
      : physical.begin(settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    const physical = connection as PhysicalConnection;
    return this.#source.commitTransaction
      ? this.#source.commitTransaction(physical)
      : physical.commit();
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const physical = connection as PhysicalConnection;
    return this.#source.rollbackTransaction
      ? this.#source.rollbackTransaction(physical)
      : physical.rollback();
  }

  savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    return (connection as PhysicalConnection).savepoint(name);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    return (connection as PhysicalConnection).rollbackToSavepoint(name);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    return (connection as PhysicalConnection).releaseSavepoint(name);
  }

  destroy(): Promise<void> {
    return this.#source.destroy();
  }
}
