import type { TransactionSettings } from 'kysely';
import type { PhysicalConnection } from '../connection/physical-connection.js';

/**
 * The seam between Kysely and a strategy, modelled on Kysely's own
 * ConnectionProvider: Kysely asks for a connection before every query (and
 * once per transaction), and hands it back exactly once afterwards. What
 * "asks" and "hands back" mean is the whole strategy:
 *
 * - per-query: acquire opens a new connection, release closes it;
 * - per-request: acquire returns the scope's connection (opening it on first
 *   use) and locks it for this query, release unlocks it;
 * - pools: acquire checks a connection out, release checks it back in.
 */
export interface ConnectionSource {
  /** Who calls: Kysely, before a query or a transaction. Who releases: Kysely, via release(). */
  acquire(): Promise<PhysicalConnection>;
  /** Called exactly once for every successful acquire(), also when the query failed. */
  release(connection: PhysicalConnection): Promise<void>;
  /** Starts `db.transaction()`; the default is `connection.begin(settings)`. */
  beginTransaction?(connection: PhysicalConnection, settings: TransactionSettings): Promise<void>;
  /** Ends `db.transaction()` that returned; the default is `connection.commit()`. */
  commitTransaction?(connection: PhysicalConnection): Promise<void>;
  /** Ends `db.transaction()` that threw; the default is `connection.rollback()`. */
  rollbackTransaction?(connection: PhysicalConnection): Promise<void>;
  /** Called by `db.destroy()`: closes the strategy. */
  destroy(): Promise<void>;
}
