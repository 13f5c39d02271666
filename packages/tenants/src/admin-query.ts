import { type DatabaseTarget, openConnection, type PhysicalConnection } from '@lifetimes/core';
import { CompiledQuery } from 'kysely';
import type { AdminQuery } from './tenant-catalog.js';

/** The catalog's connections belong to no request, so nothing counts them. */
const UNCOUNTED = {
  onOpen() {},
  onQuery() {},
  onTransaction() {},
  onError() {},
  onClose() {},
  onWait() {},
  onTimeout() {},
};

/**
 * Runs each catalog statement on a connection of its own to the default
 * database, outside every strategy: `create database` cannot run inside the
 * transaction a unit-of-work strategy's connection is always in, and catalog
 * lookups are rare (once per tenant per process).
 */
export function adminQuery(target: DatabaseTarget): AdminQuery {
  return async (sql, parameters) => {
    const connection: PhysicalConnection = await openConnection(target, UNCOUNTED, {
      applicationName: 'lifetimes-tenant-catalog',
    });
    try {
      const { rows } = await connection.executeQuery(CompiledQuery.raw(sql, [...parameters]));
      return rows;
    } finally {
      await connection.close();
    }
  };
}
