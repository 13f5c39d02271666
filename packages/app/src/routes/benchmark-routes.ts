import type { ConnectionStrategy } from '@lifetimes/core';
import { type Database, randomWorldNumber } from '@lifetimes/schema';
import { Router } from 'express';
import type { Kysely } from 'kysely';
import { clampedInteger } from '../http/clamped-integer.js';
import { HttpError } from '../http/http-error.js';

/** TechEmpower's bound on `queries`. */
const MAX_QUERIES = 500;

interface World {
  readonly id: number;
  readonly randomNumber: number;
}

/** TechEmpower's database tests: /db, /queries and /updates, one query per row. */
export function benchmarkRoutes(strategy: ConnectionStrategy<Database>): Router {
  const router = Router();

  router.get('/db', async (_req, res) => {
    res.json(await readWorld(strategy.db, randomWorldNumber()));
  });

  router.get('/queries', async (req, res) => {
    const count = clampedInteger(req.query.queries, 1, MAX_QUERIES, 1);
    const worlds: World[] = [];
    // In sequence, as the rules say: each query is its own round trip.
    for (let i = 0; i < count; i++) worlds.push(await readWorld(strategy.db, randomWorldNumber()));
    res.json(worlds);
  });

  router.get('/updates', async (req, res) => {
    const count = clampedInteger(req.query.queries, 1, MAX_QUERIES, 1);
    const { db } = strategy;
    const worlds: World[] = [];
    for (let i = 0; i < count; i++) {
      const world = await readWorld(db, randomWorldNumber());
      worlds.push({ id: world.id, randomNumber: randomWorldNumber() });
    }
    // Written in id order: a strategy that runs the whole request in one
    // transaction (scoped-session) would otherwise deadlock with another
    // request locking the same rows in another order. A stable sort keeps
    // the last value drawn for a repeated id as the one that lands.
    const writes = worlds.toSorted((a, b) => a.id - b.id);
    for (const world of writes) {
      await db
        .updateTable('world')
        .set({ randomNumber: world.randomNumber })
        .where('id', '=', world.id)
        .execute();
    }
    await strategy.commit();
    res.json(worlds);
  });

  return router;
}

async function readWorld(db: Kysely<Database>, id: number): Promise<World> {
  const world = await db
    .selectFrom('world')
    .select(['id', 'randomNumber'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!world) {
    throw new HttpError(
      500,
      `World row ${id} is missing: the database was not seeded. Restart the app on an empty database to seed it.`,
    );
  }
  return world;
}
