import {
  type DatabaseTarget,
  openConnection,
  type PhysicalConnection,
  UNOBSERVED,
} from '@lifetimes/core';
import { CompiledQuery } from 'kysely';
import type { AdminQuery } from './tenant-catalog.js';

/**
 * Runs each catalog statement on a connection of its own to the default
 * database, outside every strategy and uncounted: `create database` cannot run inside the
 * transaction a unit-of-work strategy's connection is always in, and catalog
 * lookups are rare (once per tenant per process).
 */
export function adminQuery(target: DatabaseTarget): AdminQuery {
  return async (sql, parameters) => {
    const connection: PhysicalConnection = await openConnection(target, UNOBSERVED, {
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
