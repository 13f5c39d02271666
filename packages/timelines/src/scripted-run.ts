import type { ConnectionStrategy, LifetimeEvent } from '@lifetimes/core';
import { whichConnection } from '@lifetimes/core';

export interface TimelineDb {
  note: { id: number; body: string };
}

export interface ScriptedRequest {
  readonly label: string;
  /** When the request arrives, ms after the first. */
  readonly startMs: number;
  readonly run: (strategy: ConnectionStrategy<TimelineDb>) => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Four overlapping requests, the same for every strategy, chosen so each
 * lifetime shows: a handler that waits between two queries, one with a
 * transaction, one that never touches the database, one with a burst of
 * quick queries.
 */
export const SCRIPT: readonly ScriptedRequest[] = [
  {
    label: 'GET /slow (query, 40 ms await, query)',
    startMs: 0,
    run: async ({ db, dialect }) => {
      await whichConnection(db, dialect);
      await sleep(40);
      await whichConnection(db, dialect);
    },
  },
  {
    label: 'POST /transfer (a transaction)',
    startMs: 10,
    run: async (strategy) => {
      await strategy.db.transaction().execute(async (trx) => {
        await trx.insertInto('note').values({ id: 1, body: 'debit' }).execute();
        await sleep(15);
        await trx.insertInto('note').values({ id: 2, body: 'credit' }).execute();
      });
      await strategy.commit();
      await whichConnection(strategy.db, strategy.dialect);
    },
  },
  {
    label: 'GET /health (no query)',
    startMs: 20,
    run: async () => {
      await sleep(20);
    },
  },
  {
    label: 'GET /queries (3 quick queries)',
    startMs: 30,
    run: async ({ db, dialect }) => {
      for (let i = 0; i < 3; i++) await whichConnection(db, dialect);
    },
  },
];

/** Runs the script in scopes of `strategy` and returns every event, with each scope's label. */
export async function scriptedRun(
  strategy: ConnectionStrategy<TimelineDb>,
): Promise<{ events: LifetimeEvent[]; labels: Map<number, string> }> {
  const events: LifetimeEvent[] = [];
  const labels = new Map<number, string>();
  const stop = strategy.listen((event) => {
    events.push(event);
  });
  try {
    await Promise.all(
      SCRIPT.map(async (request) => {
        await sleep(request.startMs);
        await strategy.scope(async () => {
          const started = [...events].reverse().find((e) => e.type === 'scope-start');
          if (started?.scopeId !== undefined) labels.set(started.scopeId, request.label);
          await request.run(strategy);
        });
      }),
    );
  } finally {
    stop();
  }
  return { events, labels };
}
