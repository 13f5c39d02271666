import type { DatabaseTarget } from '@lifetimes/core';
import { openConnection, type PhysicalConnection, UNOBSERVED } from '@lifetimes/core/authoring';
import { CompiledQuery } from 'kysely';
import type { AdminQuery } from './tenant-store.js';

/**
 * Runs each statement on a connection of its own to the default database,
 * outside every strategy: `create database` cannot run inside the
 * transaction a unit-of-work strategy's connection is always in. Only
 * provisioning uses it (rare, and behind the admin credential); lookups go
 * through the strategy, where they are counted and capped.
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
