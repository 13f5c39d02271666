import type { DatabaseTarget } from '../database-url.js';
import { endClient } from '../pg/end-client.js';
import { PgConnection } from '../pg/pg-connection.js';
import { SqliteConnection } from '../sqlite/sqlite-connection.js';
import type { ConnectionOptions } from './connection-options.js';
import { loadDriver } from './load-driver.js';
import type { ConnectionObserver, PhysicalConnection } from './physical-connection.js';

/**
 * Opens one unpooled connection: a fresh better-sqlite3 handle or a fresh pg
 * client with its own TCP connection and handshake. The caller owns it and
 * must close() it; per-query and per-request are built on this.
 */
export async function openConnection(
  target: DatabaseTarget,
  observer: ConnectionObserver,
  options: ConnectionOptions = {},
): Promise<PhysicalConnection> {
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  observer.onConnect();
  if (target.dialect === 'sqlite') {
    const connection = new SqliteConnection(target.file, observer, {
      busyTimeoutMs: timeoutMs,
      maxPageCount: target.maxPageCount,
    });
    observer.onOpen(connection);
    return connection;
  }
  const pg = loadDriver('pg');
  const client = new pg.Client({
    connectionString: target.url,
    connectionTimeoutMillis: timeoutMs,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
  });
  // Attached before connect: a failed handshake can emit 'error' too, and an
  // unhandled one would crash the process.
  const connectErrors = (error: Error) => error;
  client.on('error', connectErrors);
  try {
    await client.connect();
  } catch (error) {
    await endClient(client);
    throw error;
  } finally {
    client.off('error', connectErrors);
  }
  const connection = new PgConnection(client, observer, () => endClient(client));
  observer.onOpen(connection);
  return connection;
}
